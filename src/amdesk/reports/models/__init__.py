from .schedules import ReportSchedule, ReportsSettings

__all__ = ["ReportSchedule", "ReportsSettings"]
