from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .selectors import desk_for


@login_required
def desk_view(request):
    return render(request, "desk/desk.html", desk_for(request.user))
