from .board import board_view
from .followups import follow_up_detail_view, follow_up_done_view, follow_up_list_view, follow_up_new_view
from .logs import day_view, home_view, log_detail_view, log_list_view, log_review_view, today_view
from .performance import performance_home_view, performance_month_view
from .plans import plan_document_home_view, plan_document_view
from .sales_reports import (
    sales_report_download_view,
    sales_report_home_view,
    sales_report_list_view,
    sales_report_view,
)
from .targets import targets_home_view, targets_month_view, targets_team_view
from .team import team_view

__all__ = [
    "board_view",
    "plan_document_home_view",
    "plan_document_view",
    "follow_up_detail_view",
    "follow_up_done_view",
    "follow_up_list_view",
    "follow_up_new_view",
    "sales_report_download_view",
    "sales_report_home_view",
    "sales_report_list_view",
    "sales_report_view",
    "targets_home_view",
    "targets_month_view",
    "targets_team_view",
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
