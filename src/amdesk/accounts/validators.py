from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

CHARACTER_CLASSES = (str.islower, str.isupper, str.isdigit)


def character_classes(password: str) -> int:
    """How many of the four classes (lower case, upper case, digits, other symbols) occur."""
    found = {test for char in password for test in CHARACTER_CLASSES if test(char)}
    has_symbol = any(not (char.islower() or char.isupper() or char.isdigit()) for char in password)
    return len(found) + int(has_symbol)


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _(
            "Your password must contain at least %(count)d of the four kinds of character: lower-case "
            "letters, upper-case letters, digits and symbols."
        ) % {"count": self.min_classes}


def locked_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return ngettext(
        "This account has been locked after %(limit)d failed sign-ins in a row. Try again in %(minutes)d "
        "minute or ask your system administrator to unlock it.",
        "This account has been locked after %(limit)d failed sign-ins in a row. Try again in %(minutes)d "
        "minutes or ask your system administrator to unlock it.",
        minutes,
    ) % {"limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
