"""Helpers shared by the survey pages."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils.safestring import mark_safe

from amdesk.visits.views.common import Outcome, apply_errors, message_of, page_number, reported

from ..models import Option, Question, Questionnaire, Section
from ..services import may_manage_surveys

__all__ = [
    "Outcome",
    "apply_errors",
    "check_manager",
    "message_of",
    "page_number",
    "qr_svg",
    "reported",
    "sections_of",
]


def sections_of(questionnaire: Questionnaire) -> list[Section]:
    """The questionnaire's sections with their questions and options, in order, in three queries."""
    questions = Question.objects.order_by("order", "id").prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("order", "id"))
    )
    return list(
        questionnaire.sections.order_by("order", "id").prefetch_related(
            Prefetch("questions", queryset=questions)
        )
    )


def check_manager(user) -> None:
    """Questionnaires and rounds are managed by those who oversee account managers."""
    if not may_manage_surveys(user):
        raise PermissionDenied


def qr_svg(url: str) -> str:
    """The link as a QR code, an inline SVG drawn here (no script, no outside service)."""
    import segno

    code = segno.make(url, error="m")
    size = code.symbol_size(scale=4, border=2)[0]
    svg = code.svg_inline(scale=4, border=2, dark="#000", light="#fff")
    # A viewBox lets the stylesheet size the code; segno writes only numbers and a path here.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="QR" viewBox="0 0 {size} {size}" ', 1)
    return mark_safe(svg)  # noqa: S308


def sparkline(
    values: list[float | None], *, width: int = 96, height: int = 24, low: float = 0, high: float = 100
) -> str:
    """A small inline SVG line of an index over rounds (0–100), drawn here: no chart library, no script.
    Missing rounds break the line; the last point is marked."""
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    if not points:
        return ""
    step = width / max(len(values) - 1, 1)
    span = (high - low) or 1

    def xy(i: int, v: float) -> tuple[float, float]:
        return round(i * step if len(values) > 1 else width / 2, 1), round(
            height - 2 - (v - low) / span * (height - 4), 1
        )

    coords = " ".join("{},{}".format(*xy(i, v)) for i, v in points)
    last_x, last_y = xy(*points[-1])
    svg = (
        f'<svg class="sparkline" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'aria-hidden="true">'
        f'<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{coords}"/>'
        f'<circle cx="{last_x}" cy="{last_y}" r="2.5" fill="currentColor"/></svg>'
    )
    return mark_safe(svg)  # noqa: S308 - numbers only
