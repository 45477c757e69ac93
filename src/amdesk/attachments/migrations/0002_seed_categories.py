"""The preset attachment categories (editable in the admin afterwards): what the source documents keep."""

from django.db import migrations

CATEGORIES = [
    # code, name, English name, personal data
    ("id_copy", "身份证复印件", "ID card copy", True),
    ("deposit_slip", "存款凭条", "Deposit slip", False),
    ("signed_form", "签字表单", "Signed form", False),
    ("onsite_photo", "现场照片", "On-site photo", False),
    ("other", "其他", "Other", False),
]


def seed(apps, schema_editor):
    Category = apps.get_model("attachments", "AttachmentCategory")
    for order, (code, name, name_en, personal) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "personal_data": personal, "sort_order": order * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("attachments", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
