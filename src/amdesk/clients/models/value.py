"""A client's value to the organisation: AUM over time, product holdings, credit ratings."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .client import Client
from .reference import Product


class AumSnapshot(models.Model):
    """Assets under management of one client on one date: the store later KPIs read."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="aum_snapshots")
    as_of = models.DateField(_("date"))
    amount = models.DecimalField(_("AUM"), max_digits=18, decimal_places=2)

    class Meta:
        verbose_name = _("AUM snapshot")
        verbose_name_plural = _("AUM snapshots")
        ordering = ["client", "as_of"]
        constraints = [
            models.UniqueConstraint(fields=["client", "as_of"], name="aum_one_per_client_and_date")
        ]
        indexes = [models.Index(fields=["as_of", "client"])]

    def __str__(self) -> str:
        return f"{self.client_id} {self.as_of} {self.amount}"


class Holding(models.Model):
    """What a client holds of one product now (a balance; a loan's outstanding principal)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="holdings")
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    balance = models.DecimalField(
        _("balance"), max_digits=18, decimal_places=2, validators=[MinValueValidator(0)]
    )
    # Account or card number 账号/卡号: personal data, masked like a card number unless revealed.
    account_no = models.CharField(_("account or card number"), max_length=32, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("holding")
        verbose_name_plural = _("holdings")
        ordering = ["client", "product__line__order", "product__order"]
        constraints = [models.UniqueConstraint(fields=["client", "product"], name="holding_one_per_product")]

    def __str__(self) -> str:
        return f"{self.client_id} {self.product_id} {self.balance}"


class CreditRating(models.Model):
    """One filled-in credit rating form 客户信用评定表: item scores, total, class, date and rater."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="credit_ratings")
    rated_on = models.DateField(_("rated on"))
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("rater"), on_delete=models.PROTECT, related_name="+"
    )
    # {item code: score}; the items and their maximum scores at the time are in `items`.
    scores = models.JSONField(_("scores"), default=dict)
    items = models.JSONField(_("form items"), default=list)
    total = models.PositiveSmallIntegerField(_("total score"))
    rating_class = models.CharField(_("rating class"), max_length=10)
    remarks = models.CharField(_("remarks"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("credit rating")
        verbose_name_plural = _("credit ratings")
        ordering = ["client", "-rated_on", "-id"]

    def __str__(self) -> str:
        return f"{self.client_id} {self.rated_on} {self.rating_class}"
