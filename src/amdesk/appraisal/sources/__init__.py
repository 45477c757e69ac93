"""The registry of indicator sources: set-based computations an indicator names by code.

A source computes one number per person for a period, for everyone at once: `compute(ctx, params)`
returns {staff id: Decimal} (people with no data may be missing: the run treats a missing value as
the source's `empty` value, or as no value when `empty` is None). Each source runs a fixed number
of queries whatever the number of people (tests assert it). Which indicators exist is data (the
Indicator table, seeded by the presets, edited in the admin); the sources are the only code.

Parameters are declared per source (name → Param) so the admin form, the API and the preset loader
check them the same way (`validate_source`)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Param:
    kind: type  # int, float, str or bool
    default: Any
    label: object = ""
    choices: tuple = ()


@dataclass
class Context:
    """What every source of one run shares: the people, the period and the previous period (for
    growth), and caches that several sources use (e.g. the team-selling credit shares)."""

    staff_ids: list[int]
    start: date
    end: date
    cache: dict = field(default_factory=dict)

    @cached_property
    def previous(self) -> tuple[date, date]:
        """The period of the same length just before this one (for growth and change)."""
        from .periods import previous_period

        return previous_period(self.start, self.end)


Compute = Callable[[Context, dict[str, Any]], dict[int, Decimal]]


@dataclass(frozen=True)
class Source:
    code: str
    label: object
    compute: Compute
    params: dict[str, Param] = field(default_factory=dict)
    unit: str = ""
    # The value of a person the computation found nothing for (0 for counts; None for a rate whose
    # denominator is empty: no value, the indicator is left out of his score and the rest re-weighted).
    empty: Decimal | None = Decimal(0)
    help: object = ""

    def resolved_params(self, params: dict[str, Any] | None) -> dict[str, Any]:
        given = params or {}
        return {name: given.get(name, spec.default) for name, spec in self.params.items()}


SOURCES: dict[str, Source] = {}


def register(source: Source) -> Source:
    if source.code in SOURCES:
        raise ValueError(f"Indicator source {source.code!r} registered twice")
    SOURCES[source.code] = source
    return source


MANUAL_LABEL = gettext_lazy("Entered by hand per person and period")


def validate_source(code: str, params: dict | None) -> None:
    """ValidationError (in the user's language) unless `code` is a registered source (or manual)
    and `params` are the source's, of the right types."""
    _load()
    if code == "manual":
        if params:
            raise ValidationError({"params": _("A manual indicator takes no parameters.")})
        return
    source = SOURCES.get(code)
    if source is None:
        raise ValidationError({"source": _("Unknown source %(code)s.") % {"code": code}})
    if params is None:
        return
    if not isinstance(params, dict):
        raise ValidationError({"params": _("Parameters must be an object of names and values.")})
    for name, value in params.items():
        spec = source.params.get(name)
        if spec is None:
            known = ", ".join(source.params) or "—"
            raise ValidationError(
                {
                    "params": _("Unknown parameter %(name)s; this source takes: %(known)s.")
                    % {"name": name, "known": known}
                }
            )
        ok = isinstance(value, spec.kind) and not (spec.kind is not bool and isinstance(value, bool))
        if spec.kind is float and isinstance(value, int) and not isinstance(value, bool):
            ok = True
        if not ok or (spec.choices and value not in spec.choices):
            raise ValidationError(
                {"params": _("Parameter %(name)s has a value of the wrong kind.") % {"name": name}}
            )


def _load() -> None:
    """Import the modules that register sources (once)."""
    from . import catalogue  # noqa: F401


def get_source(code: str) -> Source:
    _load()
    return SOURCES[code]


def all_sources() -> dict[str, Source]:
    _load()
    return SOURCES


def compute_source(ctx: Context, code: str, params: dict | None = None) -> dict[int, Decimal]:
    """{staff id: value} of the source `code` with `params` (defaults filled in) for the run's people."""
    source = get_source(code)
    return source.compute(ctx, source.resolved_params(params))


def source_catalogue() -> list[dict[str, Any]]:
    """The registry as the admin form and the API show it: code, label, unit, help and parameters."""
    return [
        {
            "code": source.code,
            "label": str(source.label),
            "unit": source.unit,
            "help": str(source.help),
            "empty_is_none": source.empty is None,
            "params": [
                {
                    "name": name,
                    "kind": spec.kind.__name__,
                    "default": spec.default,
                    "label": str(spec.label),
                    "choices": list(spec.choices),
                }
                for name, spec in source.params.items()
            ],
        }
        for source in sorted(all_sources().values(), key=lambda source: source.code)
    ]
