"""The planning API: daily work logs, missing logs and the month's performance sheet."""

from .logs import (
    MissingLogsApi,
    WorkLogDetailApi,
    WorkLogListApi,
    WorkLogOutputSerializer,
    WorkLogReturnApi,
    WorkLogReviewApi,
    WorkLogSubmitApi,
)
from .performance import PerformanceSheetApi

__all__ = [
    "MissingLogsApi",
    "PerformanceSheetApi",
    "WorkLogDetailApi",
    "WorkLogListApi",
    "WorkLogOutputSerializer",
    "WorkLogReturnApi",
    "WorkLogReviewApi",
    "WorkLogSubmitApi",
]
