"""What an account manager may report as seen on a visit and what a supervisor records as done about
it: data of the industry preset (tobacco: unlicensed trading, price violations, a grade downgrade; a
bank: suspected illegal fundraising…), edited in the admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from amdesk.clients.models.reference import PresetItem


class AnomalyKind(PresetItem):
    """A kind of anomaly ticked on a visit record; each one ticked raises a finding of its kind."""

    class Meta(PresetItem.Meta):
        verbose_name = _("anomaly kind")
        verbose_name_plural = _("anomaly kinds")


class FindingOutcome(PresetItem):
    """What a supervisor may record as done about a finding."""

    needs_note = models.BooleanField(
        _("needs a note"),
        default=False,
        help_text=_("The supervisor must say more (e.g. the grade to move to)."),
    )

    class Meta(PresetItem.Meta):
        verbose_name = _("finding outcome")
        verbose_name_plural = _("finding outcomes")
