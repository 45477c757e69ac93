"""Scheme services: drafts, criteria and indicators, judgment matrices, activation, staleness."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from amdesk.appraisal.models import AppraisalSettings, Criterion, SchemeIndicator, SchemeVersion
from amdesk.appraisal.selectors.schemes import draft_stamp, version_tree
from amdesk.appraisal.services.schemes import (
    StaleDraft,
    criterion_add,
    criterion_remove,
    criterion_rename,
    matrix_set,
    scheme_draft,
    scheme_indicator_add,
    scheme_indicator_remove,
    scheme_indicator_update,
    scheme_version_activate,
)
from amdesk.core.models import AuditEntry

from .schemes_helpers import complete_scheme, indicator, new_scheme

pytestmark = pytest.mark.django_db


def test_create_makes_an_empty_draft_version_one(appraisal_admin):
    scheme = new_scheme(appraisal_admin)
    draft = scheme.versions.get()
    assert (draft.number, draft.state, draft.matrix, draft.created_by) == (1, "draft", [], appraisal_admin)
    assert list(scheme.roles.values_list("code", flat=True)) == ["account_manager"]
    assert AuditEntry.objects.filter(event="appraisal.scheme_changed", target_id=str(draft.pk)).exists()


def test_create_needs_roles_and_a_unique_code(appraisal_admin):
    new_scheme(appraisal_admin, code="dup")
    with pytest.raises(ValidationError) as error:
        new_scheme(appraisal_admin, code="dup")
    assert "code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        new_scheme(appraisal_admin, code="none", roles=[])
    assert "roles" in error.value.message_dict


@pytest.mark.parametrize("who", ["account_manager", "supervisor", "branch_head"])
def test_only_the_appraisal_admin_writes(request, who, appraisal_admin):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        new_scheme(user)
    scheme, draft = complete_scheme(appraisal_admin, activate=False)
    with pytest.raises(PermissionDenied):
        criterion_add(actor=user, version=draft, name="提升")
    with pytest.raises(PermissionDenied):
        scheme_version_activate(actor=user, version=draft)


def test_the_system_admin_writes_too(admin):
    assert new_scheme(admin).versions.count() == 1


def test_weights_and_cr_are_stored_per_level(appraisal_admin):
    scheme, version = complete_scheme(appraisal_admin)
    version = version_tree(version)
    acquire, retain = version.criteria_list
    assert version.matrix == [[1.0, 3.0], [1 / 3, 1.0]]
    assert (round(acquire.weight, 6), round(retain.weight, 6)) == (0.75, 0.25)
    assert [round(i.weight, 6) for i in acquire.indicator_list] == [0.666667, 0.333333]
    assert retain.indicator_list[0].weight == 1.0
    # global weights add up to 1
    total = sum(i.global_weight for c in version.criteria_list for i in c.indicator_list)
    assert total == pytest.approx(1.0)
    assert version.consistency_ratio == 0 and acquire.consistency_ratio == 0


def test_points_default_to_the_settings_percentiles(appraisal_admin):
    settings = AppraisalSettings.current()
    settings.default_low_percentile, settings.default_high_percentile = 20, 80
    settings.save()
    scheme = new_scheme(appraisal_admin)
    criterion = criterion_add(actor=appraisal_admin, version=scheme.versions.get(), name="获客")
    item = scheme_indicator_add(actor=appraisal_admin, criterion=criterion, indicator=indicator("x"))
    assert (item.point_mode, item.low_percentile, item.high_percentile, item.low) == (
        "percentile",
        20,
        80,
        None,
    )
    fixed = scheme_indicator_update(
        actor=appraisal_admin, item=item, points={"point_mode": "fixed", "low": "1.5", "high": "9"}
    )
    assert (str(fixed.low), str(fixed.high)) == ("1.5", "9")
    with pytest.raises(ValidationError) as error:
        scheme_indicator_update(
            actor=appraisal_admin, item=item, points={"point_mode": "fixed", "low": 9, "high": 9}
        )
    assert "high" in error.value.message_dict
    with pytest.raises(ValidationError):
        scheme_indicator_update(
            actor=appraisal_admin,
            item=item,
            points={"point_mode": "percentile", "low_percentile": 90, "high_percentile": 10},
        )


def test_adding_and_removing_items_resizes_the_matrix_keeping_judgments(appraisal_admin):
    scheme = new_scheme(appraisal_admin)
    draft = scheme.versions.get()
    a = criterion_add(actor=appraisal_admin, version=draft, name="A")
    b = criterion_add(actor=appraisal_admin, version=draft, name="B")
    c = criterion_add(actor=appraisal_admin, version=draft, name="C")
    matrix_set(actor=appraisal_admin, version=draft, upper=[["3", "5"], ["1/2"]])
    draft.refresh_from_db()
    # a new criterion D: equal to everybody, the old judgments stay
    criterion_add(actor=appraisal_admin, version=draft, name="D")
    draft.refresh_from_db()
    assert [row[:3] for row in draft.matrix[:3]] == [[1, 3, 5], [1 / 3, 1, 0.5], [0.2, 2, 1]]
    assert draft.matrix[3] == [1, 1, 1, 1]
    # removing B keeps A–C (5) and A–D, C–D (1)
    criterion_remove(actor=appraisal_admin, criterion=b)
    draft.refresh_from_db()
    assert draft.matrix == [[1, 5, 1], [0.2, 1, 1], [1, 1, 1]]
    weights = list(Criterion.objects.filter(version=draft).order_by("order").values_list("name", "weight"))
    assert [name for name, _w in weights] == ["A", "C", "D"]
    assert sum(w for _n, w in weights) == pytest.approx(1)
    assert a.pk and c.pk


def test_inconsistent_matrix_is_stored_but_activation_names_the_level(appraisal_admin):
    scheme, draft = complete_scheme(appraisal_admin, activate=False)
    tidy = Criterion.objects.get(version=draft, name="获客")
    criterion_add(actor=appraisal_admin, version=draft, name="提升")
    with pytest.raises(ValidationError):  # 提升 has no indicator
        scheme_version_activate(actor=appraisal_admin, version=draft)
    grow = Criterion.objects.get(version=draft, name="提升")
    scheme_indicator_add(actor=appraisal_admin, criterion=grow, indicator=indicator("g"))
    # criteria in a circle: 获客 ≫ 保有 ≫ 提升 ≫ 获客
    result = matrix_set(actor=appraisal_admin, version=draft, upper=[["9", "1/9"], ["9"]])
    assert result.cr >= 0.10
    draft.refresh_from_db()
    assert draft.consistency_ratio == pytest.approx(result.cr)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        scheme_version_activate(actor=appraisal_admin, version=draft)
    assert any("准则层" in message for message in error.value.messages), error.value.messages
    draft.refresh_from_db()
    assert draft.state == "draft"
    matrix_set(actor=appraisal_admin, version=draft, upper=[["3", "5"], ["2"]])
    assert scheme_version_activate(actor=appraisal_admin, version=draft).state == "active"
    assert tidy.pk


def test_an_inactive_indicator_blocks_activation(appraisal_admin):
    scheme, draft = complete_scheme(appraisal_admin, activate=False)
    item = SchemeIndicator.objects.filter(criterion__version=draft).first()
    item.indicator.is_active = False
    item.indicator.save()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        scheme_version_activate(actor=appraisal_admin, version=draft)
    assert any("no longer active" in message for message in error.value.messages)


def test_new_draft_copies_the_active_version_and_activation_retires_it(appraisal_admin):
    scheme, v1 = complete_scheme(appraisal_admin)
    v2 = scheme_draft(actor=appraisal_admin, scheme=scheme, note="年度调整")
    assert (v2.number, v2.state) == (2, "draft")
    assert v2.matrix == v1.matrix
    tree1, tree2 = version_tree(v1), version_tree(v2)
    assert [(c.name, c.weight) for c in tree2.criteria_list] == [
        (c.name, c.weight) for c in tree1.criteria_list
    ]
    assert [
        (i.indicator_id, i.point_mode, i.low, i.high, i.weight)
        for c in tree2.criteria_list
        for i in c.indicator_list
    ] == [
        (i.indicator_id, i.point_mode, i.low, i.high, i.weight)
        for c in tree1.criteria_list
        for i in c.indicator_list
    ]
    with pytest.raises(ValidationError):
        scheme_draft(actor=appraisal_admin, scheme=scheme)
    # editing the draft leaves version 1 as it ran
    matrix_set(actor=appraisal_admin, version=v2, upper=[["5"]])
    v1.refresh_from_db()
    assert v1.matrix == [[1.0, 3.0], [1 / 3, 1.0]]
    scheme_version_activate(actor=appraisal_admin, version=v2)
    assert dict(scheme.versions.values_list("number", "state")) == {1: "retired", 2: "active"}
    assert AuditEntry.objects.filter(event="appraisal.scheme_activated", target_id=str(v2.pk)).exists()


def test_versions_that_ran_are_not_editable(appraisal_admin):
    scheme, active = complete_scheme(appraisal_admin)
    with translation.override("en"), pytest.raises(ValidationError, match="Only a draft"):
        matrix_set(actor=appraisal_admin, version=active, upper=[["9"]])
    criterion = Criterion.objects.filter(version=active).first()
    with pytest.raises(ValidationError):
        criterion_rename(actor=appraisal_admin, criterion=criterion, name="改名")
    with pytest.raises(ValidationError):
        scheme_indicator_remove(actor=appraisal_admin, item=criterion.indicators.first())
    assert SchemeVersion.objects.get(pk=active.pk).matrix == [[1.0, 3.0], [1 / 3, 1.0]]


def test_a_stale_save_is_refused_and_nothing_is_overwritten(appraisal_admin, admin):
    scheme, draft = complete_scheme(appraisal_admin, activate=False)
    # Given two admins opened the editor on the same draft
    read = draft_stamp(draft)
    # When one saves the criteria matrix
    matrix_set(actor=admin, version=draft, upper=[["5"]], stamp=read)
    # Then the other's save from the old page is refused
    with translation.override("en"), pytest.raises(StaleDraft, match="changed this draft"):
        matrix_set(actor=appraisal_admin, version=draft, upper=[["1/3"]], stamp=read)
    draft.refresh_from_db()
    assert draft.matrix[0][1] == 5.0
    # and with the fresh stamp it goes through
    matrix_set(actor=appraisal_admin, version=draft, upper=[["1/3"]], stamp=draft_stamp(draft))


def test_matrix_input_is_checked(appraisal_admin):
    scheme, draft = complete_scheme(appraisal_admin, activate=False)
    for upper in ([["0"]], [["10"]], [["3", "3"]], [[]], "3"):
        with pytest.raises(ValidationError) as error:
            matrix_set(actor=appraisal_admin, version=draft, upper=upper)
        assert "matrix" in error.value.message_dict


def test_an_indicator_once_per_criterion_and_only_active_ones(appraisal_admin):
    scheme, draft = complete_scheme(appraisal_admin, activate=False)
    criterion = Criterion.objects.get(version=draft, name="保有")
    existing = criterion.indicators.get().indicator
    with pytest.raises(ValidationError):
        scheme_indicator_add(actor=appraisal_admin, criterion=criterion, indicator=existing)
    with pytest.raises(ValidationError):
        scheme_indicator_add(
            actor=appraisal_admin, criterion=criterion, indicator=indicator("off", active=False)
        )
