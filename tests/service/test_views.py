"""Ticket pages: scope, the list's order and countdowns, opening from a visit, the workflow buttons,
stale versions that keep what was typed, the quality feedback form, rating links, KPIs, query counts."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.html import escape

from amdesk.service.models import RatingLink, ServiceAlert, Ticket
from amdesk.service.services import ticket_sla_sweep
from amdesk.service.services.common import stale
from tests.clients.factories import make_client
from tests.desk.cards import card_html
from tests.service.factories import (
    SIGNATURE,
    make_service_desk,
    move,
    open_ticket,
    resolved_ticket,
    sign,
    walk,
)
from tests.visits.factories import record_visit

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    return response.content.decode()


def stale_message() -> str:
    """The service's "someone changed it" message as the (Chinese) page shows it."""
    with translation.override("zh-hans"):
        return escape(str(stale()))


@pytest.fixture
def mine(account_manager):
    return open_ticket(account_manager, make_client(account_manager, "王小明"), subject="柜台排队太久")


@pytest.fixture
def theirs(other_manager):
    return open_ticket(other_manager, make_client(other_manager, "李大壮"), subject="理财收益不符")


def test_every_page_honours_the_scope(
    org,
    mine,
    theirs,
    account_manager,
    team2_manager,
    supervisor,
    other_supervisor,
    branch_head,
    admin,
    client_for,
):
    desk = make_service_desk(org)
    # role × (list, detail, feedback, print, act): 200 where the ticket is in scope, 404 where not
    expectations = [
        (account_manager, {mine: 200, theirs: 404}),
        (team2_manager, {mine: 404, theirs: 404}),
        (supervisor, {mine: 200, theirs: 404}),
        (other_supervisor, {mine: 404, theirs: 200}),
        (branch_head, {mine: 200, theirs: 200}),
        (admin, {mine: 200, theirs: 200}),
        (desk, {mine: 200, theirs: 200}),  # the service desk sees its branch
    ]
    for user, codes in expectations:
        page = client_for(user)
        listing = _html(page.get("/service/?who=team&state="))
        for ticket, code in codes.items():
            assert (ticket.subject in listing) == (code == 200), (user.username, ticket.subject)
            for url in (
                f"/service/{ticket.pk}/",
                f"/service/{ticket.pk}/feedback/",
                f"/service/{ticket.pk}/feedback/print/",
            ):
                assert page.get(url).status_code == code, (user.username, url)
            if code == 404:
                # nothing changes through a ticket one cannot see
                response = page.post(
                    f"/service/{ticket.pk}/act/give_first_feedback/", {"version": 1, "message": "已联系"}
                )
                assert response.status_code == 404
                assert page.post(f"/service/{ticket.pk}/rating-link/").status_code == 404
    ticket = Ticket.objects.get(pk=theirs.pk)
    assert ticket.state == Ticket.State.RECEIVED and not RatingLink.objects.exists()


def test_an_account_manager_cannot_open_a_ticket_for_another_ams_client_or_visit(
    account_manager, other_manager, client_for
):
    client = make_client(other_manager, "李大壮")
    visit = record_visit(other_manager, client)
    page = client_for(account_manager)
    assert page.get(f"/service/new/?client={client.pk}").status_code == 404
    assert page.get(f"/service/new/?visit={visit.pk}").status_code == 404
    response = page.post("/service/new/", {"client": client.pk, "ticket_type": "complaint", "subject": "x"})
    assert response.status_code == 404 and not Ticket.objects.exists()
    # the picker only finds clients in his scope
    make_client(account_manager, "李小花")
    found = _html(page.get("/service/new/?q=李"))
    assert "李小花" in found and "李大壮" not in found


def test_home_lists_breached_first_then_due_soon_with_a_countdown(account_manager, client_for, time_machine):
    client = make_client(account_manager, "王小明")
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    on_time = open_ticket(account_manager, client, subject="刚收到的咨询", at=now - timedelta(minutes=5))
    breached = open_ticket(account_manager, client, subject="超时未反馈", at=now - timedelta(hours=8))
    due_soon = open_ticket(account_manager, client, subject="快到期的投诉", at=now - timedelta(hours=5))
    done = resolved_ticket(account_manager, client, subject="已解决的投诉")
    html = _html(client_for(account_manager).get("/service/"))
    order = [m.group(1) for m in re.finditer(r'data-testid="ticket-(\d+)" data-sla="(?:\w+)"', html)]
    assert order == [str(breached.pk), str(due_soon.pk), str(on_time.pk)]  # the resolved one: not "open"
    assert str(done.pk) not in order
    row = re.search(rf'data-testid="ticket-{breached.pk}".*?</tr>', html, re.S).group(0)
    assert 'data-sla="breached"' in row and "已超时" in row
    deadline = timezone.localtime(breached.first_feedback_due).isoformat()
    assert f'data-deadline="{deadline}"' in row  # the script counts from here
    row = re.search(rf'data-testid="ticket-{on_time.pk}".*?</tr>', html, re.S).group(0)
    assert "剩余" in row and "5小时55分钟" in row
    # filters: state "all" shows the resolved one; SLA "breached" only the breached one
    page = client_for(account_manager)
    assert "已解决的投诉" in _html(page.get("/service/?state="))
    only = _html(page.get("/service/?sla=breached"))
    assert "超时未反馈" in only and "快到期的投诉" not in only


def test_supervisor_sees_the_teams_tickets_and_escalations(
    account_manager, team2_manager, supervisor, client_for
):
    late = open_ticket(
        account_manager,
        make_client(account_manager),
        subject="超时的投诉",
        at=timezone.now() - timedelta(hours=7),
    )
    open_ticket(team2_manager, make_client(team2_manager), subject="二组的投诉")
    ticket_sla_sweep()
    assert ServiceAlert.objects.filter(recipient=supervisor, alert_kind="breach").exists()
    html = _html(client_for(supervisor).get("/service/"))
    assert "超时的投诉" in html and "二组的投诉" in html
    escalations = re.search(r'data-testid="escalations".*?</section>', html, re.S).group(0)
    assert late.number in escalations
    assert 'data-testid="service-alerts"' in html
    # marking alerts read empties the panel
    client_for(supervisor).post("/service/alerts/read/")
    assert 'data-testid="service-alerts"' not in _html(client_for(supervisor).get("/service/"))
    # the AM's own view has no team switch
    assert 'data-testid="who-team"' not in _html(client_for(account_manager).get("/service/"))


def test_open_a_ticket_from_a_visit_record(account_manager, client_for):
    client = make_client(account_manager, "王小明")
    visit = record_visit(account_manager, client, opinions="理财到期款未按时到账")
    page = client_for(account_manager)
    assert f"/service/new/?visit={visit.pk}" in _html(page.get(f"/visits/{visit.pk}/"))
    form = _html(page.get(f"/service/new/?visit={visit.pk}"))
    assert "王小明" in form and "理财到期款未按时到账" in form
    assert re.search(r'<option value="visit" selected>', form)
    response = page.post(
        "/service/new/",
        {
            "visit": visit.pk,
            "ticket_type": "complaint",
            "channel": "visit",
            "priority": "high",
            "subject": "到期款未到账",
            "description": "理财到期款未按时到账",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/service/{ticket.pk}/"
    assert (ticket.visit, ticket.client, ticket.channel, ticket.owner) == (
        visit,
        client,
        "visit",
        account_manager,
    )
    detail = _html(page.get(response["Location"]))
    assert f"/visits/{visit.pk}/" in detail and ticket.number in detail


def test_the_new_ticket_form_keeps_what_was_typed(account_manager, client_for):
    client = make_client(account_manager, "王小明")
    response = client_for(account_manager).post(
        "/service/new/", {"client": client.pk, "ticket_type": "complaint", "description": "柜员态度差"}
    )
    html = _html(response)
    assert response.status_code == 200 and "柜员态度差" in html and not Ticket.objects.exists()


def test_first_feedback_then_resolve_through_the_buttons(mine, account_manager, client_for):
    page = client_for(account_manager)
    html = _html(page.get(f"/service/{mine.pk}/"))
    assert 'data-testid="do-give_first_feedback"' in html and 'data-testid="do-resolve"' not in html
    response = page.post(
        f"/service/{mine.pk}/act/give_first_feedback/", {"version": mine.version, "message": "已致电客户致歉"}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.state == Ticket.State.FIRST_FEEDBACK and mine.first_feedback == "已致电客户致歉"
    html = _html(page.get(f"/service/{mine.pk}/"))
    assert 'data-testid="do-resolve"' in html and "已致电客户致歉" in html  # in the timeline
    # the AM may not close: that is for the desk or his supervisor
    assert 'data-testid="do-close"' not in html
    page.post(
        f"/service/{mine.pk}/act/resolve/",
        {"version": mine.version, "resolution": "已调整排班", "is_valid": "true"},
    )
    mine.refresh_from_db()
    assert mine.state == Ticket.State.RESOLVED and mine.is_valid is True
    timeline = re.search(
        r'data-testid="ticket-timeline".*?</section>', _html(page.get(f"/service/{mine.pk}/")), re.S
    )
    assert timeline.group(0).count("<li>") == 3 and "苏婷瑶" in timeline.group(0)


def test_a_stale_version_says_so_and_keeps_what_was_typed(mine, account_manager, supervisor, client_for):
    seen = mine.version
    walk(mine, supervisor, "give_first_feedback")  # the supervisor was faster
    response = client_for(account_manager).post(
        f"/service/{mine.pk}/act/give_first_feedback/", {"version": seen, "message": "我打给客户了"}
    )
    html = _html(response)
    assert response.status_code == 409
    assert stale_message() in html and "我打给客户了" in html  # what he typed is still there
    mine.refresh_from_db()
    assert mine.first_feedback != "我打给客户了"
    # the failed step is not offered any more (the ticket moved on), the page shows the ticket as it is
    assert "已致电客户说明情况" in html


def test_a_refused_step_marks_the_field_and_keeps_the_text(mine, account_manager, client_for):
    walk(mine, account_manager, "give_first_feedback")
    mine.refresh_from_db()
    response = client_for(account_manager).post(
        f"/service/{mine.pk}/act/resolve/", {"version": mine.version, "resolution": "已向客户解释"}
    )
    html = _html(response)
    assert response.status_code == 200 and "已向客户解释" in html
    assert "请说明投诉是否属实" in html or "invalid-feedback" in html
    assert re.search(r'<details class="card mb-2" data-testid="action-resolve" open>', html)
    mine.refresh_from_db()
    assert mine.state == Ticket.State.FIRST_FEEDBACK


def test_quality_feedback_form_signed_approved_replaced_and_printed(account_manager, supervisor, client_for):
    ticket = open_ticket(account_manager, make_client(account_manager, "王店主"), ticket_type="quality")
    walk(ticket, account_manager, "give_first_feedback", "investigate")
    ticket.refresh_from_db()
    page = client_for(account_manager)
    html = _html(page.get(f"/service/{ticket.pk}/feedback/"))
    # the client signs what was found: no signature box before the notes and the cause are recorded
    assert 'data-testid="sign-form-later"' in html and 'data-testid="sign-form"' not in html
    response = page.post(
        f"/service/{ticket.pk}/feedback/",
        {"version": ticket.version, "inspection_notes": "两条包装破损", "cause": "运输途中挤压"},
    )
    assert response.status_code == 302
    html = _html(page.get(f"/service/{ticket.pk}/feedback/"))
    assert 'data-testid="sign-form"' in html and "signature_pad.umd.js" in html
    page.post(
        f"/service/{ticket.pk}/sign/", {"which": "form", "signature": SIGNATURE, "signer_name": "王店主"}
    )
    ticket.refresh_from_db()
    assert (
        ticket.inspection_notes == "两条包装破损"
        and ticket.form_signed
        and ticket.form_signer_name == "王店主"
    )
    page.post(
        f"/service/{ticket.pk}/act/request_approval/",
        {"version": ticket.version, "remedy": "replacement", "remedy_detail": "调换两条"},
    )
    ticket.refresh_from_db()
    assert ticket.state == Ticket.State.AWAITING_APPROVAL
    # the supervisor approves from the feedback page
    boss = client_for(supervisor)
    assert 'data-testid="do-approve"' in _html(boss.get(f"/service/{ticket.pk}/feedback/"))
    boss.post(f"/service/{ticket.pk}/act/approve/", {"version": ticket.version, "note": "同意调换"})
    ticket.refresh_from_db()
    assert ticket.approval == "approved" and ticket.approved_by == supervisor
    # replacement handed over, the client signs the receipt
    assert 'data-testid="sign-receipt"' in _html(page.get(f"/service/{ticket.pk}/feedback/"))
    page.post(
        f"/service/{ticket.pk}/sign/", {"which": "receipt", "signature": SIGNATURE, "signer_name": "王店主"}
    )
    ticket.refresh_from_db()
    assert ticket.receipt_signed and ticket.replacement_handed_at is not None
    sheet = _html(page.get(f"/service/{ticket.pk}/feedback/print/"))
    for column in (
        "商品及服务质量信息反馈单",
        "现场查看",
        "原因",
        "客户确认",
        "两条包装破损",
        "同意调换",
        ticket.number,
    ):
        assert column in sheet, column
    assert sheet.count('src="data:image/png;base64,') == 2


def test_feedback_form_stale_version_keeps_the_notes(account_manager, client_for):
    ticket = open_ticket(account_manager, make_client(account_manager), ticket_type="quality")
    seen = ticket.version
    walk(ticket, account_manager, "give_first_feedback")
    response = client_for(account_manager).post(
        f"/service/{ticket.pk}/feedback/", {"version": seen, "inspection_notes": "烟支受潮发霉", "cause": ""}
    )
    html = _html(response)
    assert response.status_code == 409 and "烟支受潮发霉" in html and stale_message() in html


def test_staff_record_the_rating_or_create_a_one_time_link(account_manager, client_for):
    ticket = resolved_ticket(account_manager, make_client(account_manager))
    page = client_for(account_manager)
    assert 'data-testid="rating-section"' in _html(page.get(f"/service/{ticket.pk}/"))
    response = page.post(f"/service/{ticket.pk}/rating-link/")
    html = _html(response)
    url = re.search(
        r'data-testid="rating-url" value="([^"]+)"|value="([^"]+)"[^>]*data-testid="rating-url"', html
    )
    link = (url.group(1) or url.group(2)) if url else ""
    assert "/service/rate/" in link and RatingLink.objects.filter(ticket=ticket).count() == 1
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in RatingLink.objects.get().token_hash  # only the hash is stored
    # the staff rating
    other = resolved_ticket(account_manager, make_client(account_manager))
    page.post(f"/service/{other.pk}/rate/", {"score": "4", "comment": "处理及时"})
    other.refresh_from_db()
    assert (other.satisfaction, other.rated_via, other.rating_comment) == (4, "staff", "处理及时")
    assert 'data-testid="rating-section"' not in _html(page.get(f"/service/{other.pk}/"))


def test_supervisor_closes_with_the_clients_satisfaction(account_manager, supervisor, client_for):
    ticket = walk(resolved_ticket(account_manager, make_client(account_manager)), account_manager, "confirm")
    response = client_for(supervisor).post(
        f"/service/{ticket.pk}/act/close/", {"version": ticket.version, "satisfaction": "5", "note": ""}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == Ticket.State.CLOSED and ticket.satisfaction == 5 and ticket.rated_by == supervisor


def test_kpi_page_shows_targets_side_by_side_and_the_breaches(
    account_manager, team2_manager, other_manager, supervisor, client_for
):
    late = open_ticket(
        account_manager,
        make_client(account_manager),
        subject="超时投诉",
        at=timezone.now() - timedelta(hours=7),
    )
    done = resolved_ticket(team2_manager, make_client(team2_manager))
    walk(done, team2_manager, "confirm")
    move(done, supervisor, "close", satisfaction=5)
    open_ticket(other_manager, make_client(other_manager), subject="三组投诉")
    html = _html(client_for(supervisor).get("/service/kpis/"))
    assert (
        f'data-testid="kpi-row-{account_manager.pk}"' in html
        and f'data-testid="kpi-row-{team2_manager.pk}"' in html
    )
    assert f'data-testid="kpi-row-{other_manager.pk}"' not in html
    row = re.search(rf'data-testid="kpi-row-{team2_manager.pk}".*?</tr>', html, re.S).group(0)
    assert 'class="kpi-met">100.0%' in row  # handled and satisfied: green
    row = re.search(rf'data-testid="kpi-row-{account_manager.pk}".*?</tr>', html, re.S).group(0)
    assert 'class="kpi-missed">0.0%' in row  # first feedback late: red
    total = re.search(r'data-testid="kpi-total">.*?</td>', html, re.S).group(0)
    assert total.endswith("<td>合计</td>")  # the team's total row, not a "see all" link's words
    breaches = re.search(r'data-testid="breach-list".*?</section>', html, re.S).group(0)
    assert late.number in breaches and "三组投诉" not in breaches
    # the AM sees his own line only; other groupings and periods answer
    own = _html(client_for(account_manager).get("/service/kpis/"))
    assert f'data-testid="kpi-row-{account_manager.pk}"' in own and f"kpi-row-{team2_manager.pk}" not in own
    page = client_for(supervisor)
    quarter = f"{timezone.localdate().year}-Q{(timezone.localdate().month - 1) // 3 + 1}"
    for query in (
        "?group=team",
        "?group=branch",
        f"?period=quarter&quarter={quarter}",
        "?period=custom&start=2020-01-01&end=2020-01-31",
        "?period=month&month=bad",
    ):
        assert page.get(f"/service/kpis/{query}").status_code == 200, query
    assert "超时投诉" not in _html(page.get("/service/kpis/?period=custom&start=2020-01-01&end=2020-01-31"))


def test_desk_partial_shows_the_counts(account_manager, supervisor):
    open_ticket(account_manager, make_client(account_manager), at=timezone.now() - timedelta(hours=7))
    html = card_html("team_tickets", supervisor)
    assert re.search(r'data-testid="scope-breached">1<', html)
    html = card_html("my_tickets", account_manager)
    assert re.search(r'data-testid="tickets-breached">1<', html) and "scope-breached" not in html


def test_pages_take_a_fixed_number_of_queries(
    account_manager, team2_manager, supervisor, client_for, django_assert_max_num_queries
):
    for index in range(8):
        for owner in (account_manager, team2_manager):
            client = make_client(owner, f"客户{owner.pk}{index}")
            ticket = open_ticket(owner, client, at=timezone.now() - timedelta(hours=index))
            if index % 2:
                walk(ticket, owner, "give_first_feedback", "resolve")
    ticket_sla_sweep()
    ticket = Ticket.objects.filter(owner=account_manager).first()
    am, boss = client_for(account_manager), client_for(supervisor)
    # (the lists: test_the_ticket_list_takes_the_same_few_queries_for_3_or_30_tickets)
    for page, url in (
        (boss, "/service/kpis/"),
        (boss, "/service/kpis/?group=branch"),
        (am, f"/service/{ticket.pk}/"),
        (boss, f"/service/{ticket.pk}/"),
        (am, f"/service/{ticket.pk}/feedback/"),
    ):
        with django_assert_max_num_queries(16):
            assert page.get(url).status_code == 200, url


def test_the_service_desk_closes_a_resolved_ticket_with_the_rating(org, account_manager, client_for):
    desk = make_service_desk(org)
    ticket = resolved_ticket(account_manager, make_client(account_manager))
    page = client_for(desk)
    html = _html(page.get(f"/service/{ticket.pk}/"))
    assert 'data-testid="do-close"' in html
    # from "resolved" (the client never confirmed) a note is required: the page says so, keeps the score
    response = page.post(f"/service/{ticket.pk}/act/close/", {"version": ticket.version, "satisfaction": "3"})
    html = _html(response)
    assert response.status_code == 200 and 'class="invalid-feedback d-block"' in html
    assert re.search(r'<option value="3" selected>', html)
    ticket.refresh_from_db()
    assert ticket.state == Ticket.State.RESOLVED
    page.post(
        f"/service/{ticket.pk}/act/close/",
        {"version": ticket.version, "satisfaction": "3", "note": "客户电话回访认可"},
    )
    ticket.refresh_from_db()
    assert ticket.state == Ticket.State.CLOSED and ticket.satisfaction == 3


def test_the_list_pages_through_in_the_same_order(account_manager, client_for, monkeypatch):
    monkeypatch.setattr("amdesk.service.views.tickets.PAGE_SIZE", 2)
    client = make_client(account_manager)
    now = timezone.now()
    made = [
        open_ticket(account_manager, client, at=now - timedelta(hours=hours)) for hours in (1, 2, 3, 7, 8)
    ]
    page = client_for(account_manager)
    seen = []
    for number in (1, 2, 3):
        html = _html(page.get(f"/service/?page={number}"))
        seen += [int(m) for m in re.findall(r'data-testid="ticket-(\d+)" data-sla=', html)]
        assert ('data-testid="next-page"' in html) == (number < 3)
    # breached (the oldest deadline first), then due soon, then on time
    assert seen == [made[4].pk, made[3].pk, made[2].pk, made[1].pk, made[0].pk]


def _owner_choices(html: str, action: str = "reassign") -> set[str]:
    select = re.search(rf'<select name="owner"[^>]*id="id_{action}_owner".*?</select>', html, re.S)
    assert select, "no owner choice on the page"
    return {
        label for value, label in re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', select.group(0))
    }


def test_reassign_offers_only_active_account_managers_in_scope(
    org, mine, account_manager, team2_manager, other_manager, supervisor, client_for
):
    from amdesk.orgs.services import staff_leave
    from tests.orgs.factories import StaffFactory

    gone = StaffFactory(username="am_left", full_name="离职经理", org_node=org.tm2, supervisor=supervisor)
    staff_leave(actor=None, staff=gone)
    StaffFactory(username="pm", full_name="产品经理甲", org_node=org.tm1, roles=["product_manager"])
    page = client_for(supervisor)
    html = _html(page.get(f"/service/{mine.pk}/"))
    # team 2's AM: yes; the one responsible now, one who left, a product manager, the supervisor
    # himself and another team's AM: no
    assert _owner_choices(html) == {team2_manager.full_name}
    # a choice not offered is refused on the form, whatever was sent
    for bad in ("abc", str(other_manager.pk), str(gone.pk), str(account_manager.pk), "99999"):
        response = page.post(
            f"/service/{mine.pk}/act/reassign/", {"version": mine.version, "owner": bad, "note": "调整"}
        )
        assert response.status_code == 200, bad
        assert 'data-testid="action-error"' in _html(response)
    assert Ticket.objects.get(pk=mine.pk).owner == account_manager
    response = page.post(
        f"/service/{mine.pk}/act/reassign/",
        {"version": mine.version, "owner": str(team2_manager.pk), "note": "二组更熟悉该客户"},
    )
    assert response.status_code == 302
    assert Ticket.objects.get(pk=mine.pk).owner == team2_manager


def test_the_rating_link_comes_with_a_qr_code(account_manager, client_for):
    import segno

    ticket = resolved_ticket(account_manager, make_client(account_manager))
    html = _html(client_for(account_manager).post(f"/service/{ticket.pk}/rating-link/"))
    url = re.search(r'value="([^"]+)"[^>]*data-testid="rating-url"', html).group(1)
    figure = re.search(r'data-testid="rating-qr">(.*?)</figure>', html, re.S).group(1)
    assert figure.lstrip().startswith("<svg") and 'role="img"' in figure and "<script" not in figure
    # the code encodes this very link (the same drawing segno makes of it)
    path = re.findall(r' d="([^"]+)"', figure)[-1]  # the dark modules (after the light background)
    assert path in segno.make(url, error="m").svg_inline(scale=4, border=2)


def test_the_supervisor_sees_what_waits_for_his_approval(
    org, account_manager, team2_manager, supervisor, client_for
):
    for owner in (account_manager, team2_manager):
        ticket = open_ticket(owner, make_client(owner), ticket_type="quality")
        walk(ticket, owner, "give_first_feedback", "investigate")
        sign(ticket, owner, "form")
        walk(ticket, owner, "request_approval")
    walk(open_ticket(account_manager, make_client(account_manager)), account_manager, "give_first_feedback")
    html = _html(client_for(supervisor).get("/service/"))
    banner = re.search(r'<a [^>]*data-testid="approvals-waiting".*?</a>', html, re.S).group(0)
    assert re.search(r'data-testid="approvals-waiting-count">2<', banner)
    assert "?who=team&amp;state=awaiting_approval" in banner
    listed = _html(client_for(supervisor).get("/service/?who=team&state=awaiting_approval"))
    assert len(re.findall(r'data-testid="ticket-\d+" data-sla=', listed)) == 2
    # on his desk too
    html = card_html("team_tickets", supervisor)
    assert re.search(r'data-testid="awaiting-approval">2<', html)
    # the account managers (and the service desk, who do not approve) get no such banner
    for user in (account_manager, make_service_desk(org)):
        assert 'data-testid="approvals-waiting"' not in _html(client_for(user).get("/service/"))


def test_nothing_waits_when_nothing_is_proposed(account_manager, supervisor, mine, client_for):
    assert 'data-testid="approvals-waiting"' not in _html(client_for(supervisor).get("/service/"))


# Session, user, his scope (roles, led nodes), the page of tickets, escalations to him, his alerts,
# whether he approves and how many approvals wait, the menu's roles, the session saved (3).
LIST_QUERIES = 13


def _list_queries(page, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = page.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "url", ["/service/", "/service/?state=", "/service/?who=team&state=", "/service/?sla=breached"]
)
def test_the_ticket_list_takes_the_same_few_queries_for_3_or_30_tickets(
    url, account_manager, team2_manager, supervisor, client_for
):
    def make(count):
        for index in range(count):
            owner = (account_manager, team2_manager)[index % 2]
            ticket = open_ticket(
                owner, make_client(owner, f"客户{index}"), at=timezone.now() - timedelta(hours=index % 9)
            )
            if index % 3 == 0:
                walk(ticket, owner, "give_first_feedback", "resolve")
        ticket_sla_sweep()

    am, boss = client_for(account_manager), client_for(supervisor)
    make(3)
    few = {who: _list_queries(page, url) for who, page in (("am", am), ("boss", boss))}
    make(27)
    many = {who: _list_queries(page, url) for who, page in (("am", am), ("boss", boss))}
    assert few == many
    assert max(many.values()) <= LIST_QUERIES


def test_what_the_client_signed_is_shown_read_only(account_manager, client_for):
    ticket = open_ticket(account_manager, make_client(account_manager, "王店主"), ticket_type="quality")
    walk(ticket, account_manager, "give_first_feedback", "investigate")
    ticket = sign(ticket, account_manager, "form")
    page = client_for(account_manager)
    html = _html(page.get(f"/service/{ticket.pk}/feedback/"))
    for name in ("inspection_notes", "cause"):
        assert re.search(rf'<textarea name="{name}"[^>]*disabled', html), name
    # the rest of the form still saves, and what was signed stays as it was
    handed = timezone.localtime().replace(second=0, microsecond=0) - timedelta(hours=1)
    response = page.post(
        f"/service/{ticket.pk}/feedback/",
        {
            "version": ticket.version,
            "inspection_notes": "改过的记录",
            "cause": "",
            "replacement_handed_at": handed.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.inspection_notes, ticket.cause) == ("现场查看两条包装破损", "运输途中挤压")
    # the approval request on the ticket's page shows them read-only too
    html = _html(page.get(f"/service/{ticket.pk}/"))
    assert re.search(r'<textarea name="inspection_notes"[^>]*disabled', html)
    response = page.post(
        f"/service/{ticket.pk}/act/request_approval/",
        {"version": ticket.version, "remedy": "replacement", "remedy_detail": "调换两条"},
    )
    assert response.status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).state == Ticket.State.AWAITING_APPROVAL


def test_a_ticket_paused_after_its_deadline_is_still_listed_as_breached(
    account_manager, supervisor, client_for, time_machine
):
    time_machine.move_to("2026-11-02 10:00 +08:00", tick=False)
    late = walk(
        open_ticket(account_manager, subject="超期后才暂停"),
        account_manager,
        "give_first_feedback",
        "investigate",
    )
    early = walk(
        open_ticket(account_manager, subject="期限内暂停"),
        account_manager,
        "give_first_feedback",
        "investigate",
    )
    walk(early, account_manager, "wait_for_client")
    time_machine.move_to(late.resolution_due + timedelta(hours=1), tick=False)
    walk(late, account_manager, "wait_for_client")
    rows = _html(client_for(account_manager).get("/service/?state=waiting_client"))
    assert re.search(rf'data-testid="ticket-{late.pk}" data-sla="breached"', rows)
    assert re.search(rf'data-testid="ticket-{early.pk}" data-sla="paused"', rows)
    breaches = re.search(
        r'data-testid="breach-list".*?</section>', _html(client_for(supervisor).get("/service/kpis/")), re.S
    ).group(0)
    assert late.number in breaches and early.number not in breaches


def test_the_forms_ask_only_what_the_ticket_needs(account_manager, supervisor, client_for):
    page = client_for(account_manager)
    question = walk(
        open_ticket(account_manager, ticket_type="consultation", subject="咨询利率"),
        account_manager,
        "give_first_feedback",
    )
    html = _html(page.get(f"/service/{question.pk}/"))
    assert 'id="id_resolve_resolution"' in html and 'name="is_valid"' not in html  # no "justified?"
    response = page.post(
        f"/service/{question.pk}/act/resolve/", {"version": question.version, "resolution": "已答复"}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.state == Ticket.State.RESOLVED and question.is_valid is None
    # a complaint asks it
    complaint = walk(open_ticket(account_manager), account_manager, "give_first_feedback")
    assert 'name="is_valid"' in _html(page.get(f"/service/{complaint.pk}/"))
    # closing a ticket the client already rated asks no score again
    rated = resolved_ticket(account_manager, make_client(account_manager))
    page.post(f"/service/{rated.pk}/rate/", {"score": "4"})
    boss = client_for(supervisor)
    html = _html(boss.get(f"/service/{rated.pk}/"))
    assert 'id="id_close_note"' in html and 'name="satisfaction"' not in html
    unrated = resolved_ticket(account_manager, make_client(account_manager))
    assert 'name="satisfaction"' in _html(boss.get(f"/service/{unrated.pk}/"))


def test_tickets_of_an_account_manager_who_left_wait_to_be_reassigned(
    account_manager, team2_manager, supervisor, client_for
):
    from amdesk.orgs.services import staff_leave

    mine = open_ticket(account_manager, subject="离职经理的投诉")
    open_ticket(team2_manager, subject="二组的投诉")
    staff_leave(actor=None, staff=account_manager)
    html = card_html("team_tickets", supervisor)
    assert re.search(r'data-testid="owner-left">1<', html) and "?who=team&amp;left=1" in html
    page = client_for(supervisor)
    listed = _html(page.get("/service/?who=team&left=1"))
    assert 'data-testid="owner-left-heading"' in listed
    assert re.findall(r'data-testid="ticket-(\d+)" data-sla=', listed) == [str(mine.pk)]
    assert _owner_choices(_html(page.get(f"/service/{mine.pk}/"))) == {team2_manager.full_name}
    # nobody has left on team 2's side: no such figure there
    html = card_html("my_tickets", team2_manager)
    assert "owner-left" not in html
