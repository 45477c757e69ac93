from ..services.access import leads_people


def landing_url_name(user) -> str:
    """The appraisal admin sees the periods to run; a supervisor or head his team; others their score."""
    codes = user.role_codes
    if "appraisal_admin" in codes or "system_admin" in codes:
        return "appraisal:admin-overview"
    if leads_people(user):
        return "appraisal:team"
    return "appraisal:my-score"
