"""Training: sessions recorded in scope, attendance and credits, the monthly cadence per team, pages
and API."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from amdesk.appraisal.models import TrainingAttendance
from amdesk.appraisal.selectors.training import attendance_fingerprint, training_cadence, training_credits
from amdesk.appraisal.services.training import attendance_record, training_session_save
from amdesk.core.models import AuditEntry

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 1)


def session(actor, node, *, held_on=date(2026, 3, 10), hours="2", credits="1.5", topic="理财产品知识"):
    return training_session_save(
        actor=actor,
        topic=topic,
        held_on=held_on,
        hours=Decimal(hours),
        trainer="王老师",
        org_node=node,
        credits=Decimal(credits),
    )


def test_attendance_earns_the_sessions_credits_and_is_audited(
    appraisal_admin, account_manager, team2_manager, org
):
    held = session(appraisal_admin, org.ot1)

    attendance_record(
        actor=appraisal_admin, session=held, attended_ids=[account_manager.pk, team2_manager.pk]
    )
    attendance_record(actor=appraisal_admin, session=held, attended_ids=[account_manager.pk])

    rows = {row.staff_id: row for row in TrainingAttendance.objects.filter(session=held)}
    assert (rows[account_manager.pk].attended, rows[account_manager.pk].credits) == (True, Decimal("1.5"))
    assert (rows[team2_manager.pk].attended, rows[team2_manager.pk].credits) == (False, Decimal(0))
    assert AuditEntry.objects.filter(event="appraisal.training", target_id=str(held.pk)).count() == 3


def test_changing_a_sessions_credits_changes_what_attendees_earned(appraisal_admin, account_manager, org):
    held = session(appraisal_admin, org.tm1)
    attendance_record(actor=appraisal_admin, session=held, attended_ids=[account_manager.pk])

    training_session_save(
        actor=appraisal_admin,
        session=held,
        topic=held.topic,
        held_on=held.held_on,
        hours=held.hours,
        trainer=held.trainer,
        org_node=held.org_node,
        credits=Decimal(3),
    )

    assert TrainingAttendance.objects.get(session=held).credits == Decimal(3)


def test_a_supervisor_records_training_only_for_his_teams(supervisor, account_manager, other_manager, org):
    with pytest.raises(PermissionDenied):
        session(supervisor, org.tm3)
    with pytest.raises(PermissionDenied):
        session(account_manager, org.tm1)
    held = session(supervisor, org.tm1)
    with pytest.raises(ValidationError, match="只能将该培训所属机构下的人员登记为出席"):
        attendance_record(actor=supervisor, session=held, attended_ids=[other_manager.pk])


def test_attendance_over_a_stale_checklist_is_refused(supervisor, account_manager, org):
    held = session(supervisor, org.tm1)
    read = attendance_fingerprint(held)
    attendance_record(actor=supervisor, session=held, attended_ids=[account_manager.pk], expected=read)

    with pytest.raises(ValidationError, match="其他人"):
        attendance_record(actor=supervisor, session=held, attended_ids=[], expected=read)
    assert TrainingAttendance.objects.get(session=held).attended


def test_credits_are_scoped_and_summed_per_person(
    appraisal_admin,
    supervisor,
    other_supervisor,
    account_manager,
    team2_manager,
    other_manager,
    org,
    django_assert_max_num_queries,
):
    for day in (5, 20):
        held = session(appraisal_admin, org.br, held_on=date(2026, 3, day))
        attendance_record(
            actor=appraisal_admin,
            session=held,
            attended_ids=[account_manager.pk, team2_manager.pk, other_manager.pk],
        )
    april = session(appraisal_admin, org.br, held_on=date(2026, 4, 2))
    attendance_record(actor=appraisal_admin, session=april, attended_ids=[account_manager.pk])

    def credits(viewer):
        rows = training_credits(viewer=viewer, start=MARCH, end=date(2026, 3, 31))
        return {row["staff_id"]: row["credits"] for row in rows}

    with django_assert_max_num_queries(4):
        mine = credits(account_manager)
    assert mine == {account_manager.pk: Decimal(3)}
    assert credits(supervisor) == {account_manager.pk: Decimal(3), team2_manager.pk: Decimal(3)}
    assert credits(other_supervisor) == {other_manager.pk: Decimal(3)}


def test_cadence_counts_long_enough_sessions_for_the_team_or_above(
    appraisal_admin, account_manager, team2_manager, other_manager, org
):
    session(appraisal_admin, org.ot1, hours="2")  # the outlet above TM1 and TM2
    session(appraisal_admin, org.tm3, hours="1")  # too short to count
    session(appraisal_admin, org.tm3, hours="3", held_on=date(2026, 4, 1))  # another month

    rows = {row.team.code: row for row in training_cadence(viewer=appraisal_admin, month=MARCH)}

    assert (rows["TM1"].sessions, rows["TM1"].short) == (1, False)
    assert (rows["TM2"].sessions, rows["TM2"].short) == (1, False)
    assert (rows["TM3"].sessions, rows["TM3"].short) == (0, True)


def test_training_page_shows_sessions_and_shortfalls_in_scope(
    client_for,
    appraisal_admin,
    supervisor,
    account_manager,
    team2_manager,
    other_manager,
    org,
    django_assert_max_num_queries,
):
    session(appraisal_admin, org.tm1, topic="一团队培训")
    session(appraisal_admin, org.tm3, topic="三团队培训", hours="1")
    browser = client_for(supervisor)

    with django_assert_max_num_queries(20):
        response = browser.get(reverse("appraisal:training"), {"month": "2026-03"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "一团队培训" in page and "三团队培训" not in page
    assert 'data-testid="cadence-TM2" class="table-danger"' in page
    assert 'data-testid="cadence-TM1">' in page
    assert "cadence-TM3" not in page

    admin_page = (
        client_for(appraisal_admin).get(reverse("appraisal:training"), {"month": "2026-03"}).content.decode()
    )
    assert 'data-testid="cadence-TM3" class="table-danger"' in admin_page


def test_session_form_saves_attendance_from_the_checklist(
    client_for, supervisor, account_manager, team2_manager, org
):
    browser = client_for(supervisor)
    created = browser.post(
        reverse("appraisal:training-session-create"),
        {
            "topic": "合规培训",
            "held_on": "2026-03-12",
            "hours": "2",
            "trainer": "李老师",
            "org_node": org.tm1.pk,
            "credits": "2",
        },
    )
    assert created.status_code == 302
    edit_url = created["Location"]
    form = browser.get(edit_url)
    assert account_manager.full_name in form.content.decode()
    assert team2_manager.full_name not in form.content.decode()  # TM2 is not under TM1

    context = form.context
    saved = browser.post(
        edit_url,
        {
            "topic": "合规培训",
            "held_on": "2026-03-12",
            "hours": "2",
            "trainer": "李老师",
            "org_node": org.tm1.pk,
            "credits": "2",
            "attended": [account_manager.pk],
            "expected": context["expected"],
            "expected_attendance": context["expected_attendance"],
        },
    )

    assert saved.status_code == 302
    assert TrainingAttendance.objects.get(staff=account_manager).credits == Decimal(2)


def test_session_form_keeps_what_was_typed_on_error(client_for, supervisor, org):
    response = client_for(supervisor).post(
        reverse("appraisal:training-session-create"),
        {
            "topic": "合规培训",
            "held_on": "2026-03-12",
            "hours": "0.2",
            "trainer": "李老师",
            "org_node": org.tm1.pk,
            "credits": "2",
        },
    )

    assert response.status_code == 400
    assert 'value="合规培训"' in response.content.decode()


def test_an_account_manager_may_not_open_the_session_form(client_for, account_manager, supervisor, org):
    assert client_for(account_manager).get(reverse("appraisal:training-session-create")).status_code == 403


def test_training_api_lists_in_scope_and_records(
    api_for, supervisor, other_supervisor, account_manager, other_manager, org
):
    response = api_for(supervisor).post(
        "/api/v1/appraisal/training-sessions/",
        {
            "topic": "产品培训",
            "held_on": "2026-03-12",
            "hours": "2.0",
            "trainer": "李老师",
            "org_node": org.tm1.pk,
            "credits": "1.0",
            "attended": [account_manager.pk],
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["attended_count"] == 1

    refused = api_for(supervisor).post(
        "/api/v1/appraisal/training-sessions/",
        {
            "topic": "产品培训",
            "held_on": "2026-03-12",
            "hours": "2.0",
            "trainer": "李老师",
            "org_node": org.tm3.pk,
        },
        format="json",
    )
    assert refused.status_code == 403

    march = {"start": "2026-03-01", "end": "2026-03-31"}
    assert len(api_for(supervisor).get("/api/v1/appraisal/training-sessions/", march).json()) == 1
    assert api_for(other_supervisor).get("/api/v1/appraisal/training-sessions/", march).json() == []
    assert api_for(other_manager).get("/api/v1/appraisal/training-credits/", march).json() == []
    mine = api_for(account_manager).get("/api/v1/appraisal/training-credits/", march).json()
    assert [(row["staff"], row["credits"]) for row in mine] == [(account_manager.pk, "1.0")]
    bad = api_for(account_manager).get(
        "/api/v1/appraisal/training-credits/", {"start": "2026-03-31", "end": "2026-03-01"}
    )
    assert bad.status_code == 400 and "结束日期早于开始日期" in bad.json()["fields"]["end"][0]


def test_recording_attendance_again_keeps_the_credits_of_someone_who_moved_away(
    appraisal_admin, account_manager, team2_manager, org
):
    held = session(appraisal_admin, org.ot1)
    attendance_record(actor=appraisal_admin, session=held, attended_ids=[account_manager.pk])
    account_manager.org_node = org.tm3  # moved to another branch line after the session
    account_manager.save(update_fields=["org_node"])

    attendance_record(actor=appraisal_admin, session=held, attended_ids=[team2_manager.pk])

    rows = {row.staff_id: row for row in TrainingAttendance.objects.filter(session=held)}
    assert (rows[account_manager.pk].attended, rows[account_manager.pk].credits) == (True, Decimal("1.5"))
    assert rows[team2_manager.pk].attended
