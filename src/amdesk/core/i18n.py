from django.utils.translation import get_language, gettext, pgettext


def localized(zh: str, en: str) -> str:
    """Preset data carries a Chinese and an English name; show the one for the active language."""
    language = (get_language() or "zh-hans").lower()
    return en if language.startswith("en") and en else zh


def labelled(label, value) -> str:
    """ "label: value" with the active language's separator (the full-width ： in Chinese)."""
    return f"{label}{pgettext('label separator', ': ')}{value}"


def quarter_label(year: int, quarter: int) -> str:
    """The one way a quarter is written: 「2026年第4季度」 in Chinese, "2026 Q4" in English."""
    return gettext("%(year)s Q%(quarter)s") % {"year": year, "quarter": quarter}
