from django.contrib import admin

from .models import ProductLine, VipLevel


@admin.register(ProductLine, VipLevel)
class PresetItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["code", "name", "name_en"]
