"""The suite's faked clock (`pytest --clock=23:30`): when the whole suite runs at another hour."""

from datetime import datetime
from zoneinfo import ZoneInfo

# The application's zone (settings.TIME_ZONE); read here without Django, before it is configured.
LOCAL_ZONE = ZoneInfo("Asia/Shanghai")


def suite_clock_start(value: str) -> datetime | None:
    """ "23:30" → today at 23:30 in the application's zone; an ISO date-time as given (local if naive)."""
    value = (value or "").strip()
    if not value:
        return None
    if len(value) <= 5 and ":" in value:
        hour, minute = (int(part) for part in value.split(":"))
        return datetime.now(LOCAL_ZONE).replace(hour=hour, minute=minute, second=0, microsecond=0)
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_ZONE)
