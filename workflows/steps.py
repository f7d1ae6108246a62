"""The human steps of the review process, by name: one enum for the flow that defines
them (``workflows.flows``: each ``View`` node is named after a member and titled with
its label), the driver that completes them, the services, the selectors, the API
filters and the templates. Imports only Django."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Step(models.TextChoices):
    COUNTY_REVIEW = "county_review", _("County review: forward or return")
    COUNTY_CORRECTION = "county_correction", _("Correct and resubmit (county review)")
    ASSIGN_PANEL = "assign_panel", _("Assign the expert panel")
    EXPERT_CORRECTION = "expert_correction", _("Correct and resubmit (expert review)")
    EXPERT_REVIEW = "expert_review", _("Grade every item")
    CONSOLIDATE = "consolidate", _("Consolidate the panel's grades")
    DECIDE = "decide", _("Decide: confirm or override the computed level")
    AWAIT_NOTICE = "await_notice", _("Put on public notice")
    IN_NOTICE = "in_notice", _("On public notice: objections and closing")


#: Human steps by who takes them.
COUNTY_STEPS: tuple[Step, ...] = (Step.COUNTY_REVIEW,)
INSTITUTION_STEPS: tuple[Step, ...] = (Step.COUNTY_CORRECTION, Step.EXPERT_CORRECTION)
OFFICER_STEPS: tuple[Step, ...] = (
    Step.ASSIGN_PANEL,
    Step.DECIDE,
    Step.AWAIT_NOTICE,
    Step.IN_NOTICE,
)
#: Steps that belong to one person (assigned when created). Every other step belongs to
#: whoever the services allow; one of them taking it only says who is working on it, and
#: another such person may take it over.
PERSONAL_STEPS: tuple[Step, ...] = (Step.EXPERT_REVIEW, Step.CONSOLIDATE)
