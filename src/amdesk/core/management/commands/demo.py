from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from amdesk.demo.builder import DEFAULT_CLIENTS, DemoBuilder, DemoNotEmpty, database_is_empty
from amdesk.orgs.models import Staff
from amdesk.presets import available_presets


class Command(BaseCommand):
    help = (
        "Load deterministic demo data (an organisation, its people and their history) into an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--industry", default=settings.AMDESK_DEFAULT_INDUSTRY, choices=available_presets()
        )
        parser.add_argument("--seed", type=int, default=2026, help="the same seed gives the same data")
        parser.add_argument(
            "--clients",
            type=int,
            default=DEFAULT_CLIENTS,
            help="how many clients to spread over the AMs, with their holdings, AUM history, contacts "
            "and ratings (a million take a few minutes)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="load only when the database holds no staff; else just list logins",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, industry, seed, clients, if_empty, no_progress, **options):
        if if_empty and not database_is_empty():
            self.stdout.write(
                "数据库已有数据，跳过演示数据。The database already holds data; demo not loaded."
            )
            self.print_logins()
            return
        builder = DemoBuilder(industry=industry, seed=seed, clients=clients)
        steps = builder.steps()
        client_bar = tqdm(total=clients, desc="clients", unit="client", disable=no_progress, position=1)

        def client_progress(done: int) -> None:
            client_bar.update(done - client_bar.n)

        builder.client_progress = client_progress
        with client_bar, tqdm(total=len(steps), desc="demo", unit="step", disable=no_progress) as bar:

            def progress(label: str) -> None:
                bar.set_postfix_str(label)
                bar.update(1)

            builder.progress = progress
            try:
                builder.run()
            except DemoNotEmpty as exc:
                raise CommandError(str(exc)) from exc
        builder.writer.vacuum()
        self.print_logins()

    def print_logins(self) -> None:
        people = Staff.objects.filter(is_active=True).select_related("org_node").prefetch_related("roles")
        self.stdout.write("")
        self.stdout.write(f"演示账号 Demo logins (password 密码: {settings.AMDESK_DEMO_PASSWORD}):")
        for person in people.order_by("id"):
            roles = " / ".join(role.name for role in person.roles.all())
            node = person.org_node.name if person.org_node else ""
            self.stdout.write(f"  {person.username:<8} {person.full_name:<6} {roles:<12} {node}")
        self.stdout.write("")
