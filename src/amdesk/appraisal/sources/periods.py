from datetime import date, timedelta


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period before [start, end]: the previous month(s) when the period is whole months, else
    the same number of days just before."""
    if start.day == 1 and (end + timedelta(days=1)).day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        return _add_months(start, -months), start - timedelta(days=1)
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)
