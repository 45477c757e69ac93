"""What the supervisors' reports share (not a report: registers nothing)."""

from amdesk.orgs.access import oversees

from ..framework.rollup import AM_ROLE


def available_to_managers(user) -> bool:
    """Account managers (their own figures) and whoever oversees others (their scope's)."""
    if user is None or not user.is_authenticated:
        return False
    return oversees(user) or user.roles.filter(code=AM_ROLE).exists()
