"""Reminders before, and notices after, the date a finding's next step is due."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.models import (
    INSTITUTION_OWES,
    Finding,
    FindingNotice,
    User,
)
from accreditation.permissions import Action, may
from accreditation.services.findings.common import (
    FINDING_REMINDER_DAYS,
)
from accreditation.services.notifications import email_on_commit


def finding_reminders_send(
    *, on: dt.date | None = None, days_before: int = FINDING_REMINDER_DAYS
) -> list[FindingNotice]:
    """For every finding on which the institution owes the next step (a plan, or the
    evidence of effect): from ``days_before`` days before ``due_on`` until the day,
    remind the institution's active staff; after it, notify them and the raiser that it
    passed. Each (finding, kind, due date, person) is recorded and e-mailed once, so a
    daily run sends nothing twice. Returns the notices created."""
    on = on or timezone.localdate()
    findings = (
        Finding.objects.filter(
            status__in=INSTITUTION_OWES, due_on__lte=on + dt.timedelta(days=days_before)
        )
        .select_related("assessment__institution", "raised_by")
        .order_by("id")
    )
    created: list[FindingNotice] = []
    with transaction.atomic():
        rows = list(findings)
        sent = set(
            FindingNotice.objects.filter(finding__in=[f.pk for f in rows]).values_list(
                "finding_id", "kind", "due_on", "recipient_id"
            )
        )
        institutions = {f.assessment.institution_id for f in rows}
        staff: dict[int, list[User]] = defaultdict(list)
        for user in User.objects.filter(
            institution_id__in=institutions, role=User.Role.INSTITUTION_STAFF, is_active=True
        ).order_by("id"):
            staff[user.institution_id].append(user)  # type: ignore[index]
        by_recipient: dict[User, list[tuple[str, Finding]]] = defaultdict(list)
        for finding in rows:
            kind = (
                FindingNotice.Kind.OVERDUE if on > finding.due_on else FindingNotice.Kind.REMINDER
            )
            recipients = list(staff[finding.assessment.institution_id])
            if kind == FindingNotice.Kind.OVERDUE and finding.raised_by.is_active:
                recipients.append(finding.raised_by)
            for user in recipients:
                key = (finding.pk, kind, finding.due_on, user.pk)
                if key in sent:
                    continue
                created.append(
                    FindingNotice(
                        finding=finding,
                        kind=kind,
                        due_on=finding.due_on,
                        recipient=user,
                        email=user.email,
                    )
                )
                by_recipient[user].append((kind, finding))
        FindingNotice.objects.bulk_create(created)
        for user, items in by_recipient.items():
            lines = "\n".join(
                f"- {f.assessment.institution.name} {f.item_code or ''}: "
                f"{f.get_status_display()} ({f.due_on.isoformat()})"
                for _kind, f in items
            )
            overdue = any(kind == FindingNotice.Kind.OVERDUE for kind, _f in items)
            subject = (
                _("Rectification overdue: %(count)d finding(s)")
                if overdue
                else _("Rectification due soon: %(count)d finding(s)")
            ) % {"count": len(items)}
            email_on_commit(recipients=[user], subject=subject, body=lines)
    return created


def may_decide(user: User, finding: Finding) -> bool:
    """Whether ``user`` may accept/return the plan or verify/reopen (for the pages)."""
    return may(user, Action.FINDING_DECIDE, finding)
