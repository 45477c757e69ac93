"""The checks one row passes on its own: each cell cleaned, typed and held to the archive's rules.

Checks that need other rows or the database (duplicates, existing clients, scope of an existing
client, a name for a new client) run afterwards on the staged rows, set-based (merge.py).
"""

import json
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from amdesk.clients import identity
from amdesk.clients.columns import BY_FIELD, Column
from amdesk.clients.models import ClientGrade, ClientTier, VipLevel
from amdesk.clients.search import keys_for
from amdesk.core.masking import MASK_CHAR
from amdesk.orgs.access import staff_q
from amdesk.orgs.models import Staff

from . import cleaning
from .reader import as_text

# The staged columns, in the order the checker produces them.
STAGED_FIELDS = (
    "row_no",
    "raw",
    "action",
    "match_key",
    "search_keys",
    "name",
    "kind",
    "id_number",
    "credit_code",
    "mobile",
    "gender",
    "birth_date",
    "birthday_kind",
    "address",
    "occupation",
    "industry",
    "size",
    "legal_representative",
    "owner_id",
    "org_node_id",
    "lifecycle",
    "tier_id",
    "grade_id",
    "vip_level_id",
    "onboarded_on",
    "source",
    "remarks",
)
_RESIDENT_ID_SHAPE = re.compile(r"^\d{6}(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dX]$")
AM_ROLE = "account_manager"
NAME_CACHE = 20_000  # names whose search keys are remembered (bounded: ~25 MB, memory stays flat)
TEMPLATE_EXAMPLE_ID = BY_FIELD["id_number"].example


@dataclass(frozen=True)
class Owner:
    pk: int
    org_node_id: int
    may_own: bool  # an active account manager


class RowChecker:
    def __init__(self, *, actor, headers: list[str], mapping: list[str]):
        self.columns: list[tuple[int, Column, str]] = [
            (index, BY_FIELD[field], headers[index] if index < len(headers) else "")
            for index, field in enumerate(mapping)
            if field in BY_FIELD
        ]
        self.mapped = {column.field for _, column, _ in self.columns}
        self.choices = {
            column.field: cleaning.Choices(column.words) for _, column, _ in self.columns if column.words
        }
        self.owners = self._owners(actor)
        self.known_staff = {number.upper() for number in Staff.objects.values_list("employee_no", flat=True)}
        self.vip_levels = {}
        for pk, code, name in VipLevel.objects.filter(is_active=True).values_list("pk", "code", "name"):
            self.vip_levels.setdefault(name.upper(), pk)
            self.vip_levels.setdefault(code.upper(), pk)
        # Tiers and grades are preset data: a cell may give the name, the code or an alias.
        self.references = {"tier": {}, "grade": {}}
        self.reference_names = {}
        for field, model in (("tier", ClientTier), ("grade", ClientGrade)):
            items = list(model.objects.filter(is_active=True).order_by("order", "code"))
            self.reference_names[field] = "、".join(item.name for item in items)
            for item in items:
                for word in item.words():
                    self.references[field].setdefault(identity.normalize(word), item.pk)
        self.today = timezone.localdate()
        self._name_keys: dict[str, frozenset[str]] = {}

    @staticmethod
    def _owners(actor) -> dict[str, Owner]:
        rows = (
            Staff.objects.filter(staff_q(actor, for_write=True))  # whose clients the importer may change
            .annotate(
                is_am=Exists(Staff.roles.through.objects.filter(staff_id=OuterRef("pk"), role__code=AM_ROLE))
            )
            .values_list("pk", "employee_no", "org_node_id", "status", "is_am")
        )
        return {
            number.upper(): Owner(pk, node, status == Staff.Status.ACTIVE and is_am)
            for pk, number, node, status, is_am in rows
        }

    def check(self, row_no: int, values: list) -> tuple[tuple | None, list[tuple[str, str]]]:
        """(the staged row, problems as (column header, reason)); None for a row with no data."""
        data: dict = dict.fromkeys((*STAGED_FIELDS, "client_no"))
        problems: list[tuple[str, str]] = []
        for index, column, header in self.columns:
            value = values[index] if index < len(values) else None
            try:
                cleaned = self._clean(column, value)
            except ValidationError as exc:
                problems.append((header, " ".join(exc.messages)))
                continue
            if cleaned not in (None, ""):
                self._store(data, column.field, cleaned)
        raw = [as_text(value) for value in values]
        if not any(raw):
            return None, []
        problems.extend(self._identity(data))
        if data["id_number"] is not None and data["id_number"] == TEMPLATE_EXAMPLE_ID:
            problems.append((self._header("id_number"), _("This is the template's example row: delete it.")))
        data["match_key"] = self._match_key(data)
        if data["match_key"] is None and not problems:
            problems.append(
                (
                    "",
                    _(
                        "Give an ID number, a credit code, or a name with a mobile number: it is how a later "
                        "import finds the client again."
                    ),
                )
            )
        if data["name"] is not None:
            keys = self._keys_of_name(data["name"]) | keys_for(
                name="",
                mobile=data["mobile"] or "",
                id_number=data["id_number"] or "",
                credit_code=data["credit_code"] or "",
            )
            data["search_keys"] = json.dumps(sorted(keys), ensure_ascii=False)
        data["row_no"] = row_no
        data["raw"] = json.dumps(raw, ensure_ascii=False)
        data["action"] = "reject" if problems else ""
        return tuple(data[field] for field in STAGED_FIELDS), problems

    def _keys_of_name(self, name: str) -> frozenset[str]:
        """The name's search keys (pinyin is the costliest step of a row); names repeat a lot."""
        keys = self._name_keys.get(name)
        if keys is None:
            if len(self._name_keys) >= NAME_CACHE:
                self._name_keys.clear()
            keys = self._name_keys[name] = frozenset(keys_for(name=name))
        return keys

    def _clean(self, column: Column, value):
        field = column.field
        if column.kind == "identifier":
            cleaned = cleaning.identifier(value)
            # A masked value (an export's 330***********1890) says nothing: the field is left alone.
            if MASK_CHAR in cleaned:
                return None
            if field == "client_no" and cleaned and not cleaned.isdigit():
                raise ValidationError(_("A client number is a whole number."))
            return cleaned
        if column.kind == "date":
            day = cleaning.parse_date(value)
            if day is not None and day > self.today:
                raise ValidationError(_("%(date)s is in the future.") % {"date": day.isoformat()})
            return day
        if field in self.choices:
            return self.choices[field](value)
        cleaned = cleaning.text(value)
        if field == "owner":
            return self._owner(cleaned) if cleaned else None
        if field == "vip_level":
            if not cleaned:
                return None
            try:
                return self.vip_levels[cleaned.upper()]
            except KeyError:
                raise ValidationError(_("There is no VIP level %(value)s.") % {"value": cleaned}) from None
        if field in self.references:
            if not cleaned:
                return None
            try:
                return self.references[field][identity.normalize(cleaned)]
            except KeyError:
                raise ValidationError(
                    _("%(value)s is not one of: %(allowed)s.")
                    % {"value": cleaned, "allowed": self.reference_names[field]}
                ) from None
        if column.max_length and len(cleaned) > column.max_length:
            raise ValidationError(
                _("At most %(limit)d characters; this has %(length)d.")
                % {"limit": column.max_length, "length": len(cleaned)}
            )
        return cleaned

    def _owner(self, number: str) -> Owner:
        key = identity.normalize(number)
        owner = self.owners.get(key)
        if owner is None:
            if key in self.known_staff:
                raise ValidationError(
                    _("Employee %(number)s is outside your organisation.") % {"number": number}
                )
            raise ValidationError(_("There is no employee number %(number)s.") % {"number": number})
        if not owner.may_own:
            raise ValidationError(
                _("Employee %(number)s is not an active account manager.") % {"number": number}
            )
        return owner

    @staticmethod
    def _store(data: dict, field: str, value) -> None:
        if field == "owner":
            data["owner_id"], data["org_node_id"] = value.pk, value.org_node_id
        elif field in ("vip_level", "tier", "grade"):
            data[f"{field}_id"] = value
        else:
            data[field] = value

    def _identity(self, data: dict) -> list[tuple[str, str]]:
        """The identifiers checked as the archive checks them; birth date and gender from the ID."""
        problems = []
        number = data["id_number"]
        if number is not None:
            try:
                parsed = identity.parse_resident_id(number)
            except ValidationError as exc:
                # A "证件号码" column holds companies' credit codes too; but a value shaped like a
                # resident ID (17 digits, a check digit, a birth date inside) is a mistyped ID,
                # even when it happens to pass the credit code's checksum.
                code = None
                if data["kind"] != "individual" and not _looks_like_resident_id(number):
                    try:
                        code = identity.parse_credit_code(number)
                    except ValidationError:
                        code = None
                if code is None:
                    problems.append((self._header("id_number"), " ".join(exc.messages)))
                else:
                    data["id_number"] = None
                    data["credit_code"] = data["credit_code"] or code
                    data["kind"] = data["kind"] or "corporate"
            else:
                data["id_number"], data["birth_date"], data["gender"] = (
                    parsed.number,
                    parsed.birth_date,
                    parsed.gender,
                )
        for field, parse in (("credit_code", identity.parse_credit_code), ("mobile", identity.parse_mobile)):
            if data[field] is not None:
                try:
                    data[field] = parse(data[field])
                except ValidationError as exc:
                    problems.append((self._header(field), " ".join(exc.messages)))
        if data["kind"] is None and data["credit_code"] is not None and data["id_number"] is None:
            data["kind"] = "corporate"
        return problems

    @staticmethod
    def _match_key(data: dict) -> str | None:
        if data["client_no"]:
            return f"n:{data.pop('client_no')}"
        data.pop("client_no")
        if data["id_number"]:
            return f"d:{data['id_number']}"
        if data["credit_code"]:
            return f"c:{data['credit_code']}"
        if data["name"] and data["mobile"]:
            return f"m:{data['name']}|{data['mobile']}"[:140]
        return None

    def _header(self, field: str) -> str:
        for _index, column, header in self.columns:
            if column.field == field:
                return header
        return ""


def _looks_like_resident_id(value: str) -> bool:
    return bool(_RESIDENT_ID_SHAPE.match(identity.normalize(value)))
