"""`amdesk demo`: a deterministic, realistic organisation for one industry preset.

The same seed gives the same people, names, numbers and grade histories (dates are counted
back from the day it runs). Later capabilities add their demo data as further steps.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from amdesk.core.rows import RowWriter
from amdesk.desk.services import desk_figures_refresh
from amdesk.orgs.models import LadderGrade, OrgNode, Role, Staff
from amdesk.orgs.services import org_node_create, staff_create, staff_set_grade, staff_set_roles
from amdesk.presets import preset_apply

from .appraisal import build_appraisal
from .attachments import build_attachments
from .clients import ClientRange, build_clients
from .imports import build_imports
from .names import mobile, person_name
from .notifications import build_notifications
from .planning import build_planning
from .reports import build_reports
from .service import build_service
from .surveys import build_surveys
from .values import ClientValues, refresh_figures
from .visits import build_visits


@dataclass
class DemoLogin:
    username: str
    full_name: str
    role: str
    org_node: str


@dataclass
class DemoResult:
    industry: str
    logins: list[DemoLogin] = field(default_factory=list)


# What `amdesk demo` (and so `make run`) builds: about 65 clients per account manager, what the bank's
# visit norms (key clients weekly, the others every two weeks) let an AM visit on time at the demo's
# pace of 7-10 visits a day (visits.PACES); a larger --clients shows a branch that cannot keep up.
DEFAULT_CLIENTS = 800

# Past this many clients only a share gets the year of AUM history (the rest: the latest month),
# so that a million-client data set stays a matter of minutes.
FULL_HISTORY = 200_000


class DemoNotEmpty(RuntimeError):
    pass


def database_is_empty() -> bool:
    return not Staff.objects.exists()


class DemoBuilder:
    def __init__(
        self,
        *,
        industry: str,
        seed: int = 2026,
        today: date | None = None,
        clients: int = 0,
        fast: bool | None = None,
        progress: Callable[[str], None] | None = None,
        client_progress: Callable[[int], None] | None = None,
    ):
        self.industry = industry
        self.client_count = clients
        self.client_progress = client_progress or (lambda done: None)
        # COPY / executemany where the database has them; fast=False forces the ORM's bulk_create.
        self.writer = RowWriter(fast=fast)
        self.clients = ClientRange(0, 0)
        self.corrected: dict[str, int] = {}
        self.seed = seed
        self.rng = random.Random(seed)
        self.today = today or timezone.localdate()
        self.progress = progress or (lambda step: None)
        self.password_hash = make_password(settings.AMDESK_DEMO_PASSWORD)
        self.numbers = iter(range(10001, 99999))
        self.result = DemoResult(industry=industry)

    # The steps, in order; the command shows a progress bar over them.
    def steps(self) -> list[tuple[str, Callable[[], None]]]:
        return [
            ("preset", self.apply_preset),
            ("org", self.build_org),
            ("people", self.build_people),
            ("grades", self.build_grade_histories),
            ("clients", self.build_clients),
            ("figures", self.refresh_figures),
            ("imports", self.build_imports),
            ("visits", self.build_visits),
            ("service", self.build_service),
            ("surveys", self.build_surveys),
            ("planning", self.build_planning),
            ("attachments", self.build_attachments),
            ("appraisal", self.build_appraisal),
            ("reports", self.build_reports),
            ("notifications", self.build_notifications),
            ("desk figures", lambda: desk_figures_refresh(today=self.today)),
        ]

    @transaction.atomic
    def run(self) -> DemoResult:
        if not database_is_empty():
            raise DemoNotEmpty(
                "The database already holds staff; demo data loads only into an empty database."
            )
        self.writer.prepare()
        for label, step in self.steps():
            self.progress(label)
            step()
        return self.result

    def apply_preset(self) -> None:
        self.preset = preset_apply(actor=None, code=self.industry)
        self.roles = {role.code: role for role in Role.objects.all()}
        self.grades = list(LadderGrade.objects.order_by("order"))

    def build_org(self) -> None:
        demo = self.preset["demo"]
        self.head_office = org_node_create(actor=None, name=demo["head_office"], code="HO", parent=None)
        self.branch = org_node_create(actor=None, name=demo["branch"], code="BR01", parent=self.head_office)
        self.outlets: list[OrgNode] = []
        for s, (sub_name, outlet_names) in enumerate(
            zip(demo["sub_branches"], demo["outlets"], strict=True), 1
        ):
            sub = org_node_create(actor=None, name=sub_name, code=f"SB{s:02d}", parent=self.branch)
            for o, outlet_name in enumerate(outlet_names, 1):
                self.outlets.append(
                    org_node_create(actor=None, name=outlet_name, code=f"OT{s:02d}{o:02d}", parent=sub)
                )
        # Two teams in the first sub-branch's outlets, one in the second's.
        team_outlets = [self.outlets[0], self.outlets[1], self.outlets[2]]
        self.teams = [
            org_node_create(actor=None, name=name, code=f"TM{t:02d}", parent=outlet)
            for t, (name, outlet) in enumerate(zip(demo["teams"], team_outlets, strict=True), 1)
        ]

    def _person(
        self,
        username: str,
        role_codes: list[str],
        node: OrgNode,
        supervisor: Staff | None = None,
        hired_years_ago: tuple[int, int] = (1, 12),
    ) -> Staff:
        hire_date = self.today - timedelta(
            days=self.rng.randint(365 * hired_years_ago[0], 365 * hired_years_ago[1])
        )
        staff = staff_create(
            actor=None,
            username=username,
            employee_no=f"{next(self.numbers)}",
            full_name=person_name(self.rng),
            password=None,
            org_node=node,
            phone=mobile(self.rng),
            supervisor=supervisor,
            hire_date=hire_date,
        )
        staff.password = self.password_hash
        staff.save(update_fields=["password"])
        staff_set_roles(actor=None, staff=staff, roles=[self.roles[code] for code in role_codes])
        self.result.logins.append(
            DemoLogin(
                username, staff.full_name, " / ".join(self.roles[c].name for c in role_codes), node.name
            )
        )
        return staff

    def build_people(self) -> None:
        self._person("admin", ["system_admin"], self.head_office)
        head = self._person("head1", ["head"], self.branch)
        self.branch.leader = head
        self.branch.save(update_fields=["leader"])
        sup1 = self._person("sup1", ["supervisor"], self.teams[0], supervisor=head)
        sup2 = self._person("sup2", ["supervisor"], self.teams[2], supervisor=head)
        # sup1 leads the first sub-branch's two teams, sup2 the third team.
        for team, leader in zip(self.teams, [sup1, sup1, sup2], strict=True):
            team.leader = leader
            team.save(update_fields=["leader"])
        self.account_managers = []
        for number in range(1, 13):
            team_index = (number - 1) // 4
            leader = [sup1, sup1, sup2][team_index]
            self.account_managers.append(
                self._person(
                    f"am{number:02d}", ["account_manager"], self.teams[team_index], supervisor=leader
                )
            )
        self._person("pm1", ["product_manager"], self.teams[0], supervisor=sup1)
        self._person("risk1", ["risk_manager"], self.branch, supervisor=head)
        self._person("desk1", ["service_desk"], self.branch, supervisor=head)
        self._person("hr1", ["appraisal_admin"], self.head_office)

    def build_grade_histories(self) -> None:
        """Everyone starts as 客户专员 and climbs one grade per one or two appraisal years."""
        for manager in self.account_managers:
            on = manager.hire_date
            target = self.rng.randint(0, 7)
            staff_set_grade(
                actor=None, staff=manager, grade=self.grades[0], effective_on=on, reason="入职定级"
            )
            for grade in self.grades[1 : target + 1]:
                on = on + timedelta(days=365 * self.rng.choice([1, 1, 2]))
                if on > self.today:
                    break
                staff_set_grade(
                    actor=None, staff=manager, grade=grade, effective_on=on, reason="年度考核晋级"
                )

    def build_clients(self) -> None:
        """The clients with their owners and search keys, and their values (values.py) alongside."""
        values = ClientValues(rng=self.rng, today=self.today, history_share=self.history_share())
        self.clients = build_clients(
            rng=self.rng,
            count=self.client_count,
            today=self.today,
            writer=self.writer,
            values=values,
            progress=self.client_progress,
        )

    def build_imports(self) -> None:
        """Two fair lists of the first account manager: one imported, one waiting for corrections."""
        build_imports(rng=self.rng, today=self.today, owner=self.account_managers[0])

    def build_visits(self) -> None:
        """Where clients are, six months of visits and what they raised, this and next week's
        schedules, post-loan inspections (done, due and a few overdue)."""
        build_visits(
            rng=self.rng,
            today=self.today,
            industry=self.industry,
            preset=self.preset,
            clients=self.clients,
            writer=self.writer,
        )

    def build_service(self) -> None:
        """Complaints and quality feedback of the last months in every state, breached ones escalated."""
        build_service(rng=self.rng, today=self.today)

    def build_surveys(self) -> None:
        """A questionnaire, two finished quarterly rounds with improvement actions, and an open one."""
        build_surveys(rng=self.rng, today=self.today)

    def build_planning(self) -> None:
        """Work logs of last and this month (some missing, late or returned) and the month sheets of
        daily performance, some AMs behind the others."""
        build_planning(rng=self.rng, today=self.today)

    def build_attachments(self) -> None:
        """ID copies and deposit slips of a few clients, photos of recent visits, a signed feedback
        form and an inspection photo, all drawn in code and uploaded through the service."""
        build_attachments(rng=self.rng, today=self.today)

    def build_appraisal(self) -> None:
        """The demo scheme, two approved months with ladder proposals, the month just ended waiting for
        sign-off, training, selling teams and a DISC comparison of three candidates."""
        build_appraisal(
            # its own stream: demo data added to earlier steps must not reshuffle the scores
            rng=random.Random(f"{self.seed}:appraisal"),
            today=self.today,
            industry=self.industry,
            account_managers=self.account_managers,
        )

    def build_reports(self) -> None:
        """Monthly sales analysis reports of the months behind (read, returned, late, missing) and a
        report schedule."""
        build_reports(rng=self.rng, today=self.today)

    def build_notifications(self) -> None:
        """Notifications of the last days (some read) from the sweeps over the data built above."""
        build_notifications(rng=self.rng, today=self.today)

    def history_share(self) -> float:
        """Every won client gets a year of month-end AUM up to FULL_HISTORY clients; beyond, a share."""
        return min(1.0, FULL_HISTORY / self.client_count) if self.client_count else 1.0

    def refresh_figures(self) -> None:
        """The services' set-based refreshes over all clients (they correct nothing if values.py is right)."""
        self.writer.analyze()  # first: without statistics PostgreSQL plans the refreshes badly
        self.corrected = refresh_figures()
