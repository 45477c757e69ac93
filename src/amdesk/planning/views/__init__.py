from .logs import day_view, home_view, log_detail_view, log_list_view, log_review_view, today_view
from .performance import performance_home_view, performance_month_view
from .team import team_view

__all__ = [
    "day_view",
    "home_view",
    "log_detail_view",
    "log_list_view",
    "log_review_view",
    "performance_home_view",
    "performance_month_view",
    "team_view",
    "today_view",
]
