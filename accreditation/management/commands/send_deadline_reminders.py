import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from accreditation.services.deadlines import deadline_reminders_send
from accreditation.services.facts import fact_challenge_reminders_send
from accreditation.services.findings import finding_reminders_send, lookbacks_expired_conclude


class Command(BaseCommand):
    help = (
        "Remind people of stage deadlines, rectification due dates and fact challenges to "
        "answer, notify them of those passed (each once), and conclude look-backs whose "
        "rectification deadline passed. Run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD).")
        parser.add_argument(
            "--days-before", type=int, help="Start reminding this many days before."
        )

    def handle(self, *args, date=None, days_before=None, **options):
        try:
            on = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"Not a date: {date!r}") from None
        notices = deadline_reminders_send(on=on, days_before=days_before)
        reminders = sum(n.kind == "reminder" for n in notices)
        self.stdout.write(
            f"{reminders} reminders and {len(notices) - reminders} overdue notices sent."
        )
        kwargs = {} if days_before is None else {"days_before": days_before}
        finding_notices = finding_reminders_send(on=on, **kwargs)
        reminders = sum(n.kind == "reminder" for n in finding_notices)
        self.stdout.write(
            f"Rectification: {reminders} reminders and {len(finding_notices) - reminders} "
            "overdue notices sent."
        )
        challenge_notices = fact_challenge_reminders_send(on=on)
        self.stdout.write(f"Fact challenges: {len(challenge_notices)} notices sent.")
        concluded = lookbacks_expired_conclude(on=on)
        failed = sum(lb.rectification == "failed" for lb in concluded)
        self.stdout.write(
            f"Look-backs concluded: {len(concluded) - failed} rectified, {failed} revoked."
        )
