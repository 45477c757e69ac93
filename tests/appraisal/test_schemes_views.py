"""Scheme pages: the list, a new scheme, the read-only detail, the draft editor and its live AHP."""

import re

import pytest
from django.test import Client as Browser
from django.urls import reverse
from django.utils import translation

from amdesk.appraisal.models import Criterion, SchemeIndicator
from amdesk.appraisal.selectors.schemes import draft_stamp
from amdesk.core.models import AuditEntry
from amdesk.orgs.models import Role

from .schemes_helpers import complete_scheme, indicator, new_scheme

pytestmark = pytest.mark.django_db


def edit_url(scheme):
    return reverse("appraisal:scheme-edit", args=[scheme.pk])


def test_the_list_shows_each_scheme_in_fixed_queries(
    client_for, appraisal_admin, django_assert_max_num_queries
):
    complete_scheme(appraisal_admin)
    for n in range(5):
        new_scheme(appraisal_admin, code=f"s{n}")
    browser = client_for(appraisal_admin)
    with django_assert_max_num_queries(16):
        page = browser.get(reverse("appraisal:schemes"))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-testid="scheme-') >= 6 and 'data-testid="scheme-create"' in html
    assert "v1" in html


def test_supervisors_read_but_do_not_edit(
    client_for, appraisal_admin, supervisor, branch_head, account_manager
):
    scheme, _version = complete_scheme(appraisal_admin)
    for person in (supervisor, branch_head):
        browser = client_for(person)
        page = browser.get(reverse("appraisal:scheme-detail", args=[scheme.pk]))
        assert page.status_code == 200 and "获客" in page.content.decode()
        assert "scheme-edit-link" not in page.content.decode()
        assert 'data-testid="scheme-create"' not in browser.get(reverse("appraisal:schemes")).content.decode()
    for person in (supervisor, branch_head, account_manager):
        browser = client_for(person)
        assert browser.get(edit_url(scheme)).status_code == 403
        assert browser.get(reverse("appraisal:scheme-create")).status_code == 403
        assert browser.post(edit_url(scheme), {"action": "new-draft"}).status_code == 403
        preview = reverse("appraisal:scheme-matrix-preview", args=[scheme.pk])
        assert browser.post(preview, {"level": "criteria"}).status_code == 403
    assert scheme.versions.count() == 1


def test_detail_shows_version_history_with_who_and_when(client_for, appraisal_admin):
    scheme, _v1 = complete_scheme(appraisal_admin)
    browser = client_for(appraisal_admin)
    browser.post(edit_url(scheme), {"action": "new-draft", "note": "调整权重"})
    page = browser.get(reverse("appraisal:scheme-detail", args=[scheme.pk]) + "?version=2")
    html = page.content.decode()
    assert page.status_code == 200
    assert appraisal_admin.full_name in html and "调整权重" in html
    assert html.count("list-group-item") == 2


def test_create_keeps_what_was_typed_on_error(client_for, appraisal_admin):
    browser = client_for(appraisal_admin)
    page = browser.post(
        reverse("appraisal:scheme-create"),
        {"code": "ok-code", "name": "二季度方案", "period_kind": "quarter"},
    )
    assert page.status_code == 400
    assert "二季度方案" in page.content.decode()
    roles = Role.objects.filter(code="account_manager").values_list("pk", flat=True)
    done = browser.post(
        reverse("appraisal:scheme-create"),
        {"code": "ok-code", "name": "二季度方案", "period_kind": "quarter", "roles": list(roles)},
    )
    assert done.status_code == 302 and done["Location"].endswith("/edit/")


def test_the_live_editor_recomputes_and_points_at_the_worst_judgments(client_for, appraisal_admin):
    scheme, draft = complete_scheme(appraisal_admin, activate=False)
    criterion_add_via = client_for(appraisal_admin)
    # Given three criteria
    criterion_add_via.post(
        edit_url(scheme), {"action": "add-criterion", "name": "提升", "stamp": draft_stamp(draft)}
    )
    preview = reverse("appraisal:scheme-matrix-preview", args=[scheme.pk])
    # When the judgments go round in a circle (A ≫ B ≫ C ≫ A)
    page = criterion_add_via.post(
        preview, {"level": "criteria", "a-0-1": "9", "a-0-2": "1/9", "a-1-2": "9"}, HTTP_HX_REQUEST="true"
    )
    html = page.content.decode()
    # Then CR shows red, nothing is saved, and the worst judgments carry a suggestion
    assert page.status_code == 200
    assert re.search(r'text-bg-danger" data-testid="cr">6\.130', html)
    assert 'data-testid="disagreements"' in html and "data-suggested=" in html
    draft.refresh_from_db()
    assert draft.matrix[0][1] == 3.0
    # and consistent judgments show green with the weights
    page = criterion_add_via.post(preview, {"level": "criteria", "a-0-1": "2", "a-0-2": "4", "a-1-2": "2"})
    html = page.content.decode()
    assert 'text-bg-success" data-testid="cr">0.000' in html
    assert re.findall(r'data-testid="weight">([\d.]+)', html) == ["0.571", "0.286", "0.143"]


def test_the_editor_saves_judgments_and_activates(client_for, appraisal_admin):
    scheme, draft = complete_scheme(appraisal_admin, activate=False)
    browser = client_for(appraisal_admin)
    page = browser.get(edit_url(scheme))
    assert page.status_code == 200
    stamp = re.search(r'name="stamp" value="([0-9a-f]+)"', page.content.decode()).group(1)
    saved = browser.post(
        edit_url(scheme), {"action": "save-matrix", "level": "criteria", "a-0-1": "1/2", "stamp": stamp}
    )
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert draft.matrix == [[1.0, 0.5], [2.0, 1.0]]
    assert [
        round(w, 6) for w in Criterion.objects.filter(version=draft).values_list("weight", flat=True)
    ] == [0.333333, 0.666667]
    activated = browser.post(edit_url(scheme), {"action": "activate", "stamp": draft_stamp(draft)})
    assert activated.status_code == 302
    draft.refresh_from_db()
    assert draft.state == "active"


def test_a_stale_page_is_refused_and_a_bad_matrix_keeps_what_was_typed(client_for, appraisal_admin, admin):
    scheme, draft = complete_scheme(appraisal_admin, activate=False)
    old = draft_stamp(draft)
    client_for(admin).post(edit_url(scheme), {"action": "add-criterion", "name": "提升", "stamp": old})
    browser = client_for(appraisal_admin)
    with translation.override("en"):
        stale = browser.post(
            edit_url(scheme), {"action": "save-matrix", "level": "criteria", "a-0-1": "9", "stamp": old}
        )
    assert stale.status_code == 409
    draft.refresh_from_db()
    assert draft.matrix[0][1] == 3.0
    fresh = draft_stamp(draft)
    bad = browser.post(
        edit_url(scheme),
        {
            "action": "save-matrix",
            "level": "criteria",
            "a-0-1": "7",
            "a-0-2": "11",
            "a-1-2": "1/3",
            "stamp": fresh,
        },
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    # the typed 7 is still selected in the criteria matrix
    assert re.search(r'name="a-0-1"[^>]*>.*?<option value="7" selected>', html, re.S)


def test_activate_is_disabled_with_the_reasons(client_for, appraisal_admin):
    scheme, draft = complete_scheme(appraisal_admin, activate=False)
    Criterion.objects.create(version=draft, name="空准则", order=9)
    browser = client_for(appraisal_admin)
    html = browser.get(edit_url(scheme)).content.decode()
    assert re.search(r'data-testid="activate" disabled', html)
    assert "空准则" in html.split('data-testid="problems"')[1].split("</ul>")[0]
    refused = browser.post(edit_url(scheme), {"action": "activate", "stamp": draft_stamp(draft)})
    assert refused.status_code == 400
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_indicators_and_points_are_edited_in_the_page(client_for, appraisal_admin):
    scheme, draft = complete_scheme(appraisal_admin, activate=False)
    criterion = Criterion.objects.get(version=draft, name="保有")
    extra = indicator("visits")
    browser = client_for(appraisal_admin)
    added = browser.post(
        edit_url(scheme),
        {
            "action": "add-indicator",
            "criterion": criterion.pk,
            "indicator": extra.pk,
            "stamp": draft_stamp(draft),
        },
    )
    assert added.status_code == 302
    item = SchemeIndicator.objects.get(criterion=criterion, indicator=extra)
    assert (item.point_mode, item.low_percentile, item.high_percentile) == ("percentile", 10, 90)
    criterion.refresh_from_db()
    assert len(criterion.matrix) == 2
    wrong = browser.post(
        edit_url(scheme),
        {
            "action": "update-indicator",
            "item": item.pk,
            "point_mode": "fixed",
            "low": "5",
            "high": "1",
            "stamp": draft_stamp(draft),
        },
    )
    assert wrong.status_code == 400
    fixed = browser.post(
        edit_url(scheme),
        {
            "action": "update-indicator",
            "item": item.pk,
            "point_mode": "fixed",
            "low": "1",
            "high": "5",
            "stamp": draft_stamp(draft),
        },
    )
    assert fixed.status_code == 302
    item.refresh_from_db()
    assert (item.point_mode, float(item.low), float(item.high)) == ("fixed", 1.0, 5.0)


def test_the_scheme_admin_shows_versions_read_only_and_audits_changes(admin, appraisal_admin):
    scheme, _version = complete_scheme(appraisal_admin)
    browser = Browser()
    browser.force_login(admin)
    assert browser.get("/admin/appraisal/scheme/").status_code == 200
    page = browser.get(f"/admin/appraisal/scheme/{scheme.pk}/change/")
    assert page.status_code == 200
    assert browser.get("/admin/appraisal/scheme/add/").status_code == 403  # made on the scheme pages
    form = {
        "name": "改名方案",
        "description": "",
        "roles": list(scheme.roles.values_list("pk", flat=True)),
        "org_node": "",
        "is_active": "on",
        "versions-TOTAL_FORMS": "1",
        "versions-INITIAL_FORMS": "1",
        "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
        "versions-0-id": str(_version.pk),
        "versions-0-scheme": str(scheme.pk),
    }
    saved = browser.post(f"/admin/appraisal/scheme/{scheme.pk}/change/", form)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    scheme.refresh_from_db()
    assert scheme.name == "改名方案"
    assert AuditEntry.objects.filter(event="appraisal.scheme_changed", target_id=str(scheme.pk)).exists()
