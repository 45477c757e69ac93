"""Template helpers of the survey capability, for its own pages and for other apps' pages.

{% load survey_tags %}
{{ row.index|on_scale:index.scale }}          an index or score (0–100) on the display scale
{% pending_survey visit.client_id as invitation %}   the client's invitation the viewer may answer
{% include "surveys/partials/visit_survey.html" with client_id=visit.client_id %}
"""

from django import template

from .. import selectors
from ..scoring import on_scale as _on_scale

register = template.Library()


@register.filter
def on_scale(value, scale):
    """0–100 → the settings' scale (100, 10 or 5); None stays None."""
    try:
        return _on_scale(value, int(scale))
    except (TypeError, ValueError):
        return value


@register.simple_tag(takes_context=True)
def pending_survey(context, client_id):
    """The client's pending invitation in an open round that the signed-in viewer may answer, or None."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not client_id:
        return None
    return selectors.pending_invitation_for(viewer=user, client_id=client_id)
