"""One rounding rule for a group's satisfaction index, shared by what shows it (index, trend, report,
low scorers) and what acts on it (improvement actions), so both always agree at the threshold."""

from decimal import ROUND_HALF_UP, Decimal

TENTH = Decimal("0.1")


def index_value(value) -> float | None:
    """A mean index (0–100) as shown and compared: rounded half up to one decimal; None stays None."""
    if value is None:
        return None
    return float(Decimal(str(value)).quantize(TENTH, ROUND_HALF_UP))


def is_low(value, threshold) -> bool:
    """Below the threshold once rounded as shown: an AM shown 70.0 against 70 is not a low scorer."""
    shown = index_value(value)
    return shown is not None and shown < float(threshold)


def on_scale(value, scale: int) -> float | None:
    """An index or score kept on 0–100, on the settings' display scale (100, 10 or 5)."""
    if value is None:
        return None
    return round(float(value) * scale / 100, 1)
