from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect


@login_required
def home(request):
    """The appraisal entry of the menu: each role lands where its work is."""
    from amdesk.appraisal.selectors.home import landing_url_name

    return redirect(landing_url_name(request.user))
