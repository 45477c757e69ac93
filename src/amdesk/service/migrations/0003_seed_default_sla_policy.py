"""Seed the default SLA row (any type, any priority: first feedback within 6 hours, resolution within
3 working days, warned with 25% of the time left) so the admin sees and edits it like any other."""

from django.db import migrations


def seed(apps, schema_editor):
    SlaPolicy = apps.get_model("service", "SlaPolicy")
    if not SlaPolicy.objects.filter(ticket_type="", priority="", is_active=True).exists():
        SlaPolicy.objects.create(
            ticket_type="", priority="", first_feedback_hours=6, resolution_working_days=3, warn_before_percent=25
        )


class Migration(migrations.Migration):
    dependencies = [("service", "0002_pause_seconds_backdating")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
