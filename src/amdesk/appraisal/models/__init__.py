from .indicators import Dimension, Indicator, ManualValue
from .ladder import LadderProposal, LadderRule
from .pay import GradeAllowance, PayBand, PaySettings
from .people import (
    DISC_FACTORS,
    DiscModel,
    DiscProfile,
    SellingShareDefault,
    SellingTeamMember,
    StaffingRatio,
    TrainingAttendance,
    TrainingSession,
)
from .periods import AppraisalPeriod, IndicatorResult, ScoreCard, TeamSignOff
from .schemes import Criterion, PeriodKind, Scheme, SchemeIndicator, SchemeVersion
from .settings import AppraisalSettings

__all__ = [
    "DISC_FACTORS",
    "AppraisalPeriod",
    "AppraisalSettings",
    "Criterion",
    "Dimension",
    "DiscModel",
    "DiscProfile",
    "GradeAllowance",
    "Indicator",
    "IndicatorResult",
    "LadderProposal",
    "LadderRule",
    "ManualValue",
    "PayBand",
    "PaySettings",
    "PeriodKind",
    "Scheme",
    "SchemeIndicator",
    "SchemeVersion",
    "ScoreCard",
    "SellingShareDefault",
    "SellingTeamMember",
    "StaffingRatio",
    "TeamSignOff",
    "TrainingAttendance",
    "TrainingSession",
]
