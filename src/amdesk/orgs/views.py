from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from amdesk.core.htmx import is_htmx

from .access import access_staff, scope_of
from .models import OrgLevel
from .selectors import StaffFilter, org_node_list, staff_list, staff_phone_for

PAGE_SIZE = 50


@login_required
def staff_list_view(request):
    queryset = staff_list(viewer=request.user, filters=request.GET)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "filter": StaffFilter(request.GET), "scope": scope_of(request.user)}
    template = "orgs/partials/staff_rows.html" if is_htmx(request) else "orgs/staff_list.html"
    return render(request, template, context)


@login_required
def staff_detail_view(request, pk: int):
    staff = access_staff(request.user, pk)
    history = staff.grade_history.select_related("grade", "previous_grade", "recorded_by")
    phone = staff_phone_for(viewer=request.user, staff=staff)
    return render(request, "orgs/staff_detail.html", {"staff": staff, "history": history, "phone": phone})


@login_required
def org_tree_view(request):
    nodes = list(org_node_list(viewer=request.user))
    levels = {level.depth: level.label for level in OrgLevel.objects.all()}
    top = min((node.depth for node in nodes), default=0)
    rows = [
        {"node": node, "indent": range(node.depth - top), "level": levels.get(node.depth, "")}
        for node in nodes
    ]
    return render(request, "orgs/tree.html", {"rows": rows})
