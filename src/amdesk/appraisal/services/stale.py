"""Concurrent edits of the people records (training sessions, selling teams, DISC profiles): the page
or API sends back a fingerprint of what it read, and a write over something changed since is refused.
The models carry no version column, so the fingerprint is a hash of the stored values."""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def fingerprint(values) -> str:
    text = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def check_fresh(expected: str | None, current: str) -> None:
    """expected=None: the caller did not read first (e.g. a script); accepted as is."""
    if expected is not None and expected != current:
        raise ValidationError(
            _("Someone else changed this in the meantime: reload the page, check, and save again."),
            code="stale",
        )
