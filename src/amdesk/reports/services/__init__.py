from .exports import ExportFile, report_export
from .schedules import SendResult, schedule_send, schedules_send_due

__all__ = ["ExportFile", "SendResult", "report_export", "schedule_send", "schedules_send_due"]
