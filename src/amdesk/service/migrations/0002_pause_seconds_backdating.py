import django.core.validators
from django.db import migrations, models
from django.db.models import F


def pauses_in_seconds(apps, schema_editor):
    # Every pause so far pushed the resolution deadline (in whole working days); from now on it is
    # counted in seconds: the total paused time is the best known value.
    Ticket = apps.get_model("service", "Ticket")
    Ticket.objects.filter(resolution_paused_days__gt=0).update(resolution_paused_seconds=F("paused_seconds"))


class Migration(migrations.Migration):
    dependencies = [
        ("service", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="resolution_paused_seconds",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(pauses_in_seconds, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="ticket",
            name="resolution_paused_days",
        ),
        migrations.AddField(
            model_name="servicesettings",
            name="backdate_max_days",
            field=models.PositiveSmallIntegerField(
                default=7,
                help_text="A complaint taken on paper is entered later; older ones are refused.",
                validators=[django.core.validators.MaxValueValidator(366)],
                verbose_name="how many days back a ticket may be recorded as received",
            ),
        ),
        migrations.AddField(
            model_name="servicesettings",
            name="sweep_chain",
            field=models.CharField(blank=True, editable=False, max_length=32),
        ),
    ]
