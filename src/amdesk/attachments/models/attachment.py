"""An attachment is one stored file on one target (a client, a visit, a ticket or an inspection).

The file itself lives in the "attachments" storage (settings.STORAGES); the row keeps its key,
what it is (category, type checked by content, size, digest) and its life: uploaded, soft-deleted
with a reason, purged after the retention period."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amdesk.core.i18n import localized


class TargetKind(models.TextChoices):
    CLIENT = "client", pgettext_lazy("attachment target", "Client")
    VISIT = "visit", pgettext_lazy("attachment target", "Visit")
    TICKET = "ticket", pgettext_lazy("attachment target", "Ticket")
    INSPECTION = "inspection", pgettext_lazy("attachment target", "Post-loan inspection")


class AttachmentCategory(models.Model):
    """What a file is (身份证复印件, 存款凭条…): preset data, seeded by a migration, editable in the admin.

    `personal_data` marks categories whose files are personal data (an ID-card copy): only viewers
    entitled to see personal data, or the client's owner, may download them."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=50, blank=True)
    personal_data = models.BooleanField(
        _("personal data"),
        default=False,
        help_text=_("Only viewers entitled to see personal data, or the client's owner, may download it."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("attachment category")
        verbose_name_plural = _("attachment categories")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self.name, self.name_en)


class Attachment(models.Model):
    Kind = TargetKind

    target_kind = models.CharField(_("attached to"), max_length=16, choices=TargetKind.choices)
    # Every target belongs to a client: the client is always set, so the personal-data rule (the
    # client's owner may download his client's ID copy) needs no detour through the target.
    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client"), on_delete=models.CASCADE, related_name="+"
    )
    visit = models.ForeignKey(
        "visits.Visit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    ticket = models.ForeignKey(
        "service.Ticket", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    inspection = models.ForeignKey(
        "visits.LoanInspection", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        AttachmentCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    # The storage key: generated (never the uploaded name), so nothing a user types reaches a path.
    storage_key = models.CharField(_("storage key"), max_length=255, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("deleted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    delete_reason = models.CharField(_("reason for deletion"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-uploaded_at", "-id"]
        indexes = [
            models.Index(fields=["client", "target_kind"], name="attachment_client_kind"),
        ]
        constraints = [
            # Exactly the target its kind names is set (the client always is).
            models.CheckConstraint(
                name="attachment_target_matches_kind",
                condition=(
                    Q(target_kind="client", visit__isnull=True, ticket__isnull=True, inspection__isnull=True)
                    | Q(
                        target_kind="visit", visit__isnull=False, ticket__isnull=True, inspection__isnull=True
                    )
                    | Q(
                        target_kind="ticket",
                        visit__isnull=True,
                        ticket__isnull=False,
                        inspection__isnull=True,
                    )
                    | Q(
                        target_kind="inspection",
                        visit__isnull=True,
                        ticket__isnull=True,
                        inspection__isnull=False,
                    )
                ),
                violation_error_message=_("The file is attached to something other than its kind names."),
            ),
            models.CheckConstraint(
                name="attachment_deletion_has_reason",
                condition=Q(deleted_at__isnull=True) | ~Q(delete_reason=""),
                violation_error_message=_("Give the reason for deleting the file."),
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def target_id(self) -> int:
        return {
            TargetKind.CLIENT: self.client_id,
            TargetKind.VISIT: self.visit_id,
            TargetKind.TICKET: self.ticket_id,
            TargetKind.INSPECTION: self.inspection_id,
        }[self.target_kind]


class AttachmentSettings(models.Model):
    """Numbers of the attachments capability the business may change; one row, edited in the admin."""

    max_upload_mb = models.PositiveSmallIntegerField(
        _("largest file (MB)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_image_megapixels = models.PositiveSmallIntegerField(
        _("largest image (megapixels)"),
        default=40,
        validators=[MinValueValidator(1), MaxValueValidator(80)],
        help_text=_(
            "Bigger images are refused before they are decoded (a guard against decompression bombs)."
        ),
    )
    image_max_side = models.PositiveSmallIntegerField(
        _("longest side of a stored image (pixels)"),
        default=2560,
        validators=[MinValueValidator(320), MaxValueValidator(10000)],
        help_text=_("Larger photos are scaled down when they are re-encoded."),
    )
    jpeg_quality = models.PositiveSmallIntegerField(
        _("JPEG quality of re-encoded photos"),
        default=85,
        validators=[MinValueValidator(30), MaxValueValidator(95)],
    )
    max_per_target = models.PositiveSmallIntegerField(
        _("most files on one client, visit, ticket or inspection"),
        default=50,
        validators=[MinValueValidator(1)],
    )
    retention_days = models.PositiveSmallIntegerField(
        _("days a deleted file is kept before it is purged"),
        default=30,
        validators=[MaxValueValidator(3650)],
        help_text=_("`amdesk attachments-purge` (run daily from cron) removes them for good."),
    )

    class Meta:
        verbose_name = _("attachment settings")
        verbose_name_plural = _("attachment settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    def clean(self):
        if self.pk not in (None, 1):
            raise ValidationError(_("There is only one settings row."))

    @classmethod
    def current(cls) -> "AttachmentSettings":
        row, _created = cls.objects.get_or_create(pk=1)
        return row
