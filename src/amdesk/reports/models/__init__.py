from .schedules import ReportDelivery, ReportSchedule, ReportsSettings

__all__ = ["ReportDelivery", "ReportSchedule", "ReportsSettings"]
