"""Client reference data that each industry preset supplies (the client archive itself comes later)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from amdesk.core.i18n import localized


class PresetItem(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return localized(self.name, self.name_en)


class ProductLine(PresetItem):
    class Meta(PresetItem.Meta):
        verbose_name = _("product line")
        verbose_name_plural = _("product lines")


class ClientGrade(PresetItem):
    """Client tiers and grades, highest first."""

    class Meta(PresetItem.Meta):
        verbose_name = _("client grade")
        verbose_name_plural = _("client grades")
