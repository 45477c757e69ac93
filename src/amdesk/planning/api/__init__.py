"""The planning API: daily work logs, missing logs and the month's performance sheet."""

from .followups import FollowUpDetailApi, FollowUpDoneApi, FollowUpListApi
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
from .plans import BoardApi
from .targets import (
    TargetApproveApi,
    TargetReturnApi,
    TargetSplitApi,
    TargetSubmitApi,
    TargetTableApi,
    TeamTargetsApi,
)

__all__ = [
    "BoardApi",
    "FollowUpDetailApi",
    "FollowUpDoneApi",
    "FollowUpListApi",
    "TargetApproveApi",
    "TargetReturnApi",
    "TargetSplitApi",
    "TargetSubmitApi",
    "TargetTableApi",
    "TeamTargetsApi",
    "MissingLogsApi",
    "PerformanceSheetApi",
    "WorkLogDetailApi",
    "WorkLogListApi",
    "WorkLogOutputSerializer",
    "WorkLogReturnApi",
    "WorkLogReviewApi",
    "WorkLogSubmitApi",
]
