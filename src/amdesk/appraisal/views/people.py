"""Pages of the people part of appraisal: DISC job fit, training, team selling, staffing. Each
lives in its own module; staffing is here."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..selectors.staffing import ensure_staffing, staffing_for
from .disc import disc_import_view, disc_profile_form_view, disc_view
from .selling import selling_team_view
from .training import training_session_form_view, training_view

__all__ = [
    "disc_import_view",
    "disc_profile_form_view",
    "disc_view",
    "selling_team_view",
    "staffing_view",
    "training_session_form_view",
    "training_view",
]


@login_required
@require_GET
def staffing_view(request):
    ensure_staffing(request.user)
    return render(request, "appraisal/people/staffing.html", {"staffing": staffing_for(request.user)})
