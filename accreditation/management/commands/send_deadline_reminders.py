import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from accreditation.services.deadlines import deadline_reminders_send


class Command(BaseCommand):
    help = (
        "Remind people of stage deadlines coming up and notify them of deadlines passed "
        "(each once). Run daily."
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
