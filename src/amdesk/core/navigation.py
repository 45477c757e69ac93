"""The navigation menu as data: each entry names the roles that see it (None = everyone).

Later capabilities append their entries here; templates only render what nav_for() returns.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str] | None = None  # role codes; None = every signed-in user
    staff_only: bool = False  # needs access to the admin site


# Roles that look after other people's work (an account manager sees only his own desk).
OVERSIGHT = frozenset(
    {
        "supervisor",
        "head",
        "product_manager",
        "risk_manager",
        "lending_officer",
        "service_desk",
        "appraisal_admin",
        "system_admin",
    }
)

NAVIGATION: list[NavItem] = [
    NavItem(_("My desk"), "desk:home"),
    NavItem(_("Clients"), "clients:list"),
    NavItem(_("Visits"), "visits:home"),
    NavItem(_("Service"), "service:home"),
    NavItem(_("Surveys"), "surveys:home"),
    NavItem(_("Plans and logs"), "planning:home"),
    NavItem(_("Appraisal"), "appraisal:home"),
    NavItem(_("Reports"), "reports:list", roles=OVERSIGHT | {"account_manager"}),
    NavItem(_("People"), "orgs:staff-list", roles=OVERSIGHT),
    NavItem(_("Organisation"), "orgs:tree", roles=OVERSIGHT),
    # Those who run integrations (the admin site's users); the others reach it from their API tokens.
    NavItem(_("API documentation"), "api-docs", staff_only=True),
    NavItem(_("Administration"), "admin:index", staff_only=True),
]


def nav_for(user, role_codes: set[str], current_path: str) -> list[dict]:
    items = []
    for item in NAVIGATION:
        if item.staff_only and not user.is_staff:
            continue
        if item.roles is not None and not (item.roles & role_codes):
            continue
        url = reverse(item.url_name)
        active = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"label": item.label, "url": url, "active": active})
    return items
