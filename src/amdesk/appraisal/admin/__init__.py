"""Admin registrations, one module per area of the appraisal capability."""

from . import ladder, library, people, periods, schemes, settings  # noqa: F401
