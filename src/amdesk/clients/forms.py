"""Page forms of the client archive. They parse input; the services validate and save."""

import re

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amdesk.core.masking import mask
from amdesk.orgs.access import may_hand_over, staff_q
from amdesk.orgs.models import Staff

from .models import Client, ClientGrade, ClientTier, Contact, CreditRatingItem, Product, VipLevel
from .services.contacts import CONTACT_FIELDS

# Personal fields never come back into the form: an empty box keeps the stored value, so opening
# the edit page shows nothing unmasked and needs no reveal.
PERSONAL_FIELDS = ("id_number", "mobile")
TAG_SPLIT = re.compile(r"[,，;；、\s]+")

INDIVIDUAL_FIELDS = ["id_number", "birthday_kind", "occupation"]
CORPORATE_FIELDS = ["credit_code", "industry", "size", "legal_representative"]


def account_managers_for(viewer):
    return (
        # Whose records the viewer changes: the owners he may give a new or handed-over client to.
        Staff.objects.filter(
            staff_q(viewer, for_write=True), status=Staff.Status.ACTIVE, roles__code="account_manager"
        )
        .distinct()
        .order_by("employee_no")
    )


def _staff_label(staff: Staff) -> str:
    return f"{staff.full_name}（{staff.employee_no}）"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ClientForm(forms.ModelForm):
    tags = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Separate tags with commas or spaces.")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Client
        fields = [
            "kind",
            "name",
            "id_number",
            "birthday_kind",
            "occupation",
            "credit_code",
            "industry",
            "size",
            "legal_representative",
            "mobile",
            "address",
            "lifecycle",
            "onboarded_on",
            "onboard_reason",
            "offboarded_on",
            "offboard_reason",
            "tier",
            "vip_level",
            "grade",
            "is_big_account",
            "source",
            "remarks",
        ]
        widgets = {
            "onboarded_on": DateInput(),
            "offboarded_on": DateInput(),
            "remarks": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vip_level"].queryset = VipLevel.objects.filter(is_active=True)
        self.fields["vip_level"].empty_label = _("No VIP level")
        if viewer is not None and not self.instance.pk and may_hand_over(viewer):
            # A supervisor adding a client says whose it is; an account manager adds his own.
            self.fields["owner"] = forms.ModelChoiceField(
                label=_("Account manager"),
                queryset=account_managers_for(viewer),
                required=True,
                empty_label=_("Choose an account manager"),
            )
            self.fields["owner"].label_from_instance = _staff_label
        # The preset's tiers and grades by code, in its order; a retired one stays on offer to the
        # clients still kept on it, so editing them changes nothing by surprise.
        for field, model in (("tier", ClientTier), ("grade", ClientGrade)):
            current = getattr(self.instance, f"{field}_id", None)
            self.fields[field].queryset = model.objects.filter(Q(is_active=True) | Q(pk=current))
            self.fields[field].to_field_name = "code"
        self.fields["grade"].empty_label = "—"
        for field in PERSONAL_FIELDS:
            self.fields[field].required = False
            self.fields[field].widget.attrs["autocomplete"] = "off"
        if self.instance.pk:
            self.fields["kind"].disabled = True
            self.initial["version"] = self.instance.version
            self.initial["tags"] = " ".join(self.instance.tags.values_list("name", flat=True))
            for field in PERSONAL_FIELDS:
                stored = getattr(self.instance, field)
                self.initial[field] = ""
                if stored:
                    self.fields[field].widget.attrs["placeholder"] = mask(stored, field)
                    self.fields[field].help_text = _("Leave empty to keep the number on file.")

    def _post_clean(self):
        # Model validation happens in the service (with the identity rules); skip ModelForm's copy.
        pass

    def service_data(self) -> dict:
        """The changed values for client_create / client_update."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("owner", None)
        data["tags"] = [tag for tag in TAG_SPLIT.split(data.get("tags") or "") if tag]
        if self.instance.pk:
            data.pop("kind", None)
            for field in PERSONAL_FIELDS:
                if not data.get(field):
                    data.pop(field, None)
        for field in ("onboard_reason", "offboard_reason", "source", "remarks", "address", "occupation"):
            data[field] = data.get(field) or ""
        return data


class ContactForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Contact
        fields = CONTACT_FIELDS  # what the contact service writes
        widgets = {"last_contact_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mobile"].widget.attrs["autocomplete"] = "off"
        if self.instance.pk:
            self.initial["version"] = self.instance.version
            self.initial["mobile"] = ""
            if self.instance.mobile:
                self.fields["mobile"].widget.attrs["placeholder"] = mask(self.instance.mobile, "mobile")
                self.fields["mobile"].help_text = _("Leave empty to keep the number on file.")

    def _post_clean(self):
        pass

    def service_data(self) -> dict:
        data = {key: value for key, value in self.cleaned_data.items() if key != "version"}
        if self.instance.pk and not data.get("mobile"):
            data.pop("mobile", None)
        return data


class HoldingForm(forms.Form):
    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=Product.objects.filter(is_active=True).select_related("line"),
        empty_label=_("Choose a product"),
    )
    balance = forms.DecimalField(
        label=_("Balance"), min_value=0, max_digits=18, decimal_places=2, help_text=_("0 closes the holding.")
    )
    account_no = forms.CharField(label=_("Account or card number"), required=False, max_length=40)
    opened_on = forms.DateField(label=_("Opened on"), required=False, widget=DateInput())


class CreditRatingForm(forms.Form):
    rated_on = forms.DateField(label=_("Rated on"), widget=DateInput())
    remarks = forms.CharField(label=_("Remarks"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(CreditRatingItem.objects.filter(is_active=True))
        for item in self.items:
            self.fields[f"score_{item.code}"] = forms.IntegerField(
                label=str(item),
                min_value=0,
                max_value=item.max_score,
                help_text=_("0 to %(max)d points") % {"max": item.max_score},
            )

    def scores(self) -> dict:
        return {item.code: self.cleaned_data.get(f"score_{item.code}") for item in self.items}


class HandoverForm(forms.Form):
    clients = forms.CharField(widget=forms.HiddenInput)
    to_staff = forms.ModelChoiceField(
        label=_("Hand over to"), queryset=Staff.objects.none(), empty_label=_("Choose an account manager")
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, widget=forms.TextInput())

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_staff"].queryset = account_managers_for(viewer)
        self.fields["to_staff"].label_from_instance = _staff_label

    def client_ids(self) -> list[int]:
        return [int(part) for part in self.cleaned_data["clients"].split(",") if part.strip().isdigit()]


class RevealForm(forms.Form):
    field = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=200)
