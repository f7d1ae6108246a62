"""The review process of one assessment.

A subclass of viewflow's ``Process`` with a real one-to-one foreign key to the
assessment, rather than a proxy using the generic ``artifact`` link: the database
then guarantees one process per assessment and protects the assessment from
deletion, and inbox selectors filter tasks by region with plain joins on integer keys
(``process__assessmentprocess__assessment__institution__region__path``) instead of
matching ``artifact_object_id`` against a subquery.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process


class AssessmentProcess(Process):
    assessment = models.OneToOneField(
        "accreditation.Assessment",
        verbose_name=_("assessment"),
        on_delete=models.PROTECT,
        related_name="process",
    )

    class Meta:
        verbose_name = _("review process")
        verbose_name_plural = _("review processes")
        # viewflow adds "manage" when the flow class is defined; declared here so the
        # model's options do not depend on whether the flows module was imported.
        default_permissions = ("add", "change", "delete", "view", "manage")

    def __str__(self) -> str:
        return f"review of assessment {self.assessment_id}"
