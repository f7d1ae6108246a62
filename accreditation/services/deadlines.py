"""Stage deadlines: reminders before and notices after, recorded and e-mailed once."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.conf import setting
from accreditation.core.audit import audit_record
from accreditation.models import (
    STAGE_STATUSES,
    Assessment,
    Cycle,
    CycleDeadline,
    DeadlineNotice,
    ExpertAssignment,
    ExpertReview,
    Stage,
    User,
)
from accreditation.scope import user_scope
from accreditation.services.notifications import email_on_commit

Status = Assessment.Status
Kind = DeadlineNotice.Kind


def _ancestor(path: str, depth: int) -> str:
    return "/".join(path.split("/")[:depth]) + "/"


def _officers(assessment: Assessment) -> list[User]:
    """Officers of the region that reviews the assessment (its city or province)."""
    level = assessment.cycle.review_level(assessment.target_level)
    depth = 1 if level == "province" else 2
    return list(
        User.objects.filter(
            role=User.Role.OFFICER,
            is_active=True,
            region__path=_ancestor(assessment.institution.region.path, depth),
        )
    )


def responsible_for(assessment: Assessment, stage: str) -> list[User]:
    """Who has to act for ``assessment`` to leave ``stage``: the institution's staff;
    the county reviewers; the panel experts who have not submitted (the reviewing
    officers while there is no panel); the panel lead; the reviewing officers."""
    if stage == Stage.SELF_ASSESSMENT:
        return list(assessment.institution.staff.filter(is_active=True))
    if stage == Stage.COUNTY_REVIEW:
        path = assessment.institution.region.path
        return [
            u
            for u in User.objects.filter(
                role=User.Role.COUNTY_REVIEWER, is_active=True
            ).select_related("region")
            if user_scope(u).covers_path(path)
        ]
    if stage == Stage.EXPERT_REVIEW:
        panel = list(
            ExpertAssignment.objects.filter(assessment=assessment).select_related("expert")
        )
        if not panel:
            return _officers(assessment)
        done = set(
            ExpertReview.objects.filter(
                assessment=assessment, round__outcome="open", submitted_at__isnull=False
            ).values_list("expert_id", flat=True)
        )
        return [a.expert for a in panel if a.expert_id not in done]
    if stage == Stage.CONSOLIDATION:
        lead = [
            a.expert
            for a in ExpertAssignment.objects.filter(
                assessment=assessment, role=ExpertAssignment.Role.LEAD
            ).select_related("expert")
        ]
        return lead + _officers(assessment)
    return _officers(assessment)


def deadline_reminders_send(
    *, on: dt.date | None = None, days_before: int | None = None
) -> list[DeadlineNotice]:
    """For every stage deadline of the open cycles: from ``days_before`` days before
    the deadline until the day itself, remind each person who still has to act; after
    it, notify them that it passed. Each (person, assessment, stage, kind, deadline)
    is recorded and e-mailed once, so running this daily (``manage.py
    send_deadline_reminders``) sends nothing twice. E-mails go out after the commit.
    Returns the notices created."""
    on = on or timezone.localdate()
    days_before = setting("DEADLINE_REMINDER_DAYS") if days_before is None else days_before
    created: list[DeadlineNotice] = []
    deadlines = CycleDeadline.objects.filter(cycle__status=Cycle.Status.OPEN).select_related(
        "cycle"
    )
    with transaction.atomic():
        for deadline in deadlines.order_by("cycle_id", "due_on"):
            if on > deadline.due_on:
                kind = Kind.OVERDUE
            elif on >= deadline.due_on - dt.timedelta(days=days_before):
                kind = Kind.REMINDER
            else:
                continue
            assessments = Assessment.objects.filter(
                cycle=deadline.cycle, status__in=STAGE_STATUSES[deadline.stage]
            ).select_related("cycle", "institution__region")
            sent = set(
                DeadlineNotice.objects.filter(
                    cycle=deadline.cycle, stage=deadline.stage, kind=kind, due_on=deadline.due_on
                ).values_list("assessment_id", "recipient_id")
            )
            by_recipient: dict[User, list[Assessment]] = defaultdict(list)
            for assessment in assessments:
                for user in responsible_for(assessment, deadline.stage):
                    if (assessment.pk, user.pk) in sent:
                        continue
                    created.append(
                        DeadlineNotice.objects.create(
                            cycle=deadline.cycle,
                            assessment=assessment,
                            stage=deadline.stage,
                            kind=kind,
                            due_on=deadline.due_on,
                            recipient=user,
                            email=user.email,
                        )
                    )
                    by_recipient[user].append(assessment)
            for user, items in by_recipient.items():
                names = "\n".join(f"- {a.institution.name}" for a in items)
                subject = (
                    _("Deadline passed: %(stage)s (%(date)s)")
                    if kind == Kind.OVERDUE
                    else _("Deadline approaching: %(stage)s (%(date)s)")
                ) % {"stage": deadline.get_stage_display(), "date": deadline.due_on}
                email_on_commit(recipients=[user], subject=subject, body=names)
            if by_recipient:
                audit_record(
                    actor=None,
                    action=f"deadline.{kind}",
                    target=deadline.cycle,
                    after={
                        "stage": deadline.stage,
                        "due_on": deadline.due_on.isoformat(),
                        "notices": sum(len(v) for v in by_recipient.values()),
                    },
                )
    return created
