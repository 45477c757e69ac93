from django.contrib import admin

from .models import ClientGrade, ProductLine


@admin.register(ProductLine, ClientGrade)
class PresetItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["code", "name", "name_en"]
