"""Client imports: the job a user starts, its staged rows and the problems found in them.

A file is read once into staged rows (cleaned, typed, NULL where the file gives nothing), then
checked and merged into the archive with set-based statements. The staged rows are deleted when
the job finishes; the problems stay for the report.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    class State(models.TextChoices):
        UPLOADED = "uploaded", _("Waiting for the column mapping")
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked, ready to import")
        REJECTED = "rejected", _("Rows rejected, nothing imported")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("File unusable")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file_name = models.CharField(_("file"), max_length=200)
    file_path = models.CharField(max_length=300, editable=False)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64)
    file_format = models.CharField(_("format"), max_length=4)  # xlsx | csv
    encoding = models.CharField(max_length=20, blank=True)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    header_row = models.PositiveIntegerField(_("header row"), default=1)
    headers = models.JSONField(default=list)  # the header row's texts
    mapping = models.JSONField(default=list)  # per column: a field name or "" (ignored)
    # The uploader's language: the background job writes its problems in it.
    language = models.CharField(max_length=10, blank=True)
    skip_invalid = models.BooleanField(_("import the valid rows, reject the others"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.UPLOADED)
    phase = models.CharField(max_length=20, blank=True)  # reading | checking | writing
    rows_total = models.PositiveIntegerField(_("rows (estimate)"), default=0)
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    rows_read = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    message = models.TextField(_("message"), blank=True)
    report_path = models.CharField(max_length=300, blank=True, editable=False)
    # What the archive looked like when the rows were checked (archive_mark()); the import
    # checks them again only if it has changed since.
    archive_mark = models.CharField(max_length=120, blank=True, editable=False)

    class Meta:
        verbose_name = _("client import")
        verbose_name_plural = _("client imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_running(self) -> bool:
        return self.state in (self.State.CHECKING, self.State.IMPORTING)

    @property
    def progress_percent(self) -> int:
        if self.state in (self.State.DONE, self.State.CHECKED, self.State.REJECTED):
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)


class ImportRow(models.Model):
    """One data row of an import file, cleaned and typed; NULL means "the file does not say"."""

    class Action(models.TextChoices):
        PENDING = "", _("Not checked yet")
        CREATE = "create", _("Create")
        UPDATE = "update", _("Update")
        SAME = "same", _("Unchanged")
        REJECT = "reject", _("Rejected")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="+", db_index=False)
    row_no = models.PositiveIntegerField()  # the row's number in the file, as the user sees it
    raw = models.TextField()  # the row's cells as text (JSON list), for the error report
    action = models.CharField(max_length=6, choices=Action.choices, default=Action.PENDING, blank=True)
    # "d:<ID number>", "c:<credit code>" or "m:<name>|<mobile>": what finds the client again.
    match_key = models.CharField(max_length=140, null=True)
    client_id = models.BigIntegerField(null=True)
    search_keys = models.TextField(null=True)  # JSON list, for a new client
    rekey = models.BooleanField(default=False)  # an update changes what the client is searched by
    name = models.CharField(max_length=100, null=True)
    kind = models.CharField(max_length=12, null=True)
    id_number = models.CharField(max_length=18, null=True)
    credit_code = models.CharField(max_length=18, null=True)
    mobile = models.CharField(max_length=11, null=True)
    gender = models.CharField(max_length=8, null=True)
    birth_date = models.DateField(null=True)
    birthday_kind = models.CharField(max_length=8, null=True)
    address = models.CharField(max_length=200, null=True)
    occupation = models.CharField(max_length=50, null=True)
    industry = models.CharField(max_length=50, null=True)
    size = models.CharField(max_length=20, null=True)
    legal_representative = models.CharField(max_length=50, null=True)
    owner_id = models.BigIntegerField(null=True)
    org_node_id = models.BigIntegerField(null=True)
    lifecycle = models.CharField(max_length=12, null=True)
    tier_id = models.BigIntegerField(null=True)
    grade_id = models.BigIntegerField(null=True)
    vip_level_id = models.BigIntegerField(null=True)
    onboarded_on = models.DateField(null=True)
    source = models.CharField(max_length=50, null=True)
    remarks = models.TextField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "row_no"], name="import_row_unique")]
        indexes = [
            models.Index(fields=["job", "match_key", "row_no"]),
            models.Index(fields=["job", "credit_code"]),
        ]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.row_no}"


class ImportProblem(models.Model):
    """Why a row was rejected: its number, the column and the reason, in the user's language."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="problems")
    row_no = models.PositiveIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=100, blank=True)
    message = models.CharField(_("reason"), max_length=300)

    class Meta:
        ordering = ["row_no", "id"]
        indexes = [models.Index(fields=["job", "row_no"])]

    def __str__(self) -> str:
        return f"{self.row_no}: {self.message}"
