"""The audit log: the ``AuditEvent`` model (app ``accreditation``, table
``accreditation_auditevent``) and its one writer, :func:`audit_record`.

Every row is appended to a hash chain (``accreditation.core.audit_chain``) in one INSERT
statement: the database hands out the id and the previous row's hash and computes the
new hash, so the chain costs no extra query on the services' hot paths. Appends are
serialised: on PostgreSQL by a transaction-level advisory lock taken inside the INSERT
(held until commit, so a concurrent writer waits and then links to this row); on
SQLite by the database's single writer (transactions begin IMMEDIATE).

The ``assessment`` column points at ``accreditation.Assessment`` by name only: this
module imports nothing of the domain.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connections, models, router
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accreditation.core import audit_chain


class AuditAction(StrEnum):
    """Every action the audit log records, as stored in ``AuditEvent.action`` (the
    values are part of the hashed content: never rename one). :func:`audit_record`
    refuses any other."""

    # Places and people
    REGION_CREATE = "region.create"
    INSTITUTION_CREATE = "institution.create"
    INSTITUTION_DETAILS_SET = "institution.details_set"
    FACTS_RECORD = "facts.record"
    FACTS_IMPORT = "facts.import"
    FACT_CHALLENGE_RAISE = "fact_challenge.raise"
    FACT_CHALLENGE_ACCEPT = "fact_challenge.accept"
    FACT_CHALLENGE_REJECT = "fact_challenge.reject"
    USER_CREATE = "user.create"
    USER_DETAILS_SET = "user.details_set"
    EXPERT_PROFILE_SET = "expert_profile.set"
    API_TOKEN_ISSUE = "api_token.issue"
    API_TOKEN_REVOKE = "api_token.revoke"
    # Cycles
    CYCLE_CREATE = "cycle.create"
    CYCLE_STANDARD_SET = "cycle_standard.set"
    CYCLE_DEADLINE_SET = "cycle_deadline.set"
    CYCLE_CLOSE = "cycle.close"
    CYCLE_RESTORE = "cycle.restore"
    DEADLINE_REMINDER = "deadline.reminder"
    DEADLINE_OVERDUE = "deadline.overdue"
    # Self-assessment
    ASSESSMENT_OPEN = "assessment.open"
    ASSESSMENT_TARGET_LEVEL = "assessment.target_level"
    ITEM_GRADE_SAVE = "item_grade.save"
    EVIDENCE_ATTACH = "evidence.attach"
    EVIDENCE_DETACH = "evidence.detach"
    EVIDENCE_REUSE = "evidence.reuse"
    EVIDENCE_REVISE = "evidence.revise"
    EVIDENCE_DATES_SET = "evidence.dates_set"
    ASSESSMENT_SUBMIT = "assessment.submit"
    ASSESSMENT_RETURN = "assessment.return"
    # Review
    REVIEW_ROUND_OPEN = "review.round_open"
    COUNTY_REVIEW_START = "county_review.start"
    COUNTY_REVIEW_FORWARD = "county_review.forward"
    PANEL_ASSIGN = "panel.assign"
    EXPERT_GRADE_SAVE = "expert_grade.save"
    EXPERT_PHOTO_ADD = "expert_photo.add"
    RECORD_LIST_FREEZE = "record_list.freeze"
    RECORD_SAMPLE_DRAW = "record_sample.draw"
    SAMPLED_RECORD_SET = "sampled_record.set"
    EXPERT_REVIEW_SUBMIT = "expert_review.submit"
    CONSOLIDATION_OPEN = "consolidation.open"
    CONSOLIDATION_GRADE = "consolidation.grade"
    CONSOLIDATION_COMPLETE = "consolidation.complete"
    RESULT_COMPUTE = "result.compute"
    DECISION_CONFIRM = "decision.confirm"
    DECISION_OVERRIDE = "decision.override"
    ASSESSMENT_NOT_RECOGNISED = "assessment.not_recognised"
    # Public notice, recognition, certificates
    NOTICE_OPEN = "notice.open"
    NOTICE_LIST = "notice.list"
    NOTICE_CLOSE = "notice.close"
    OBJECTION_RECORD = "objection.record"
    OBJECTION_UPHOLD = "objection.uphold"
    OBJECTION_DISMISS = "objection.dismiss"
    RECOGNITION_GRANT = "recognition.grant"
    RECOGNITION_DOWNGRADED = "recognition.downgraded"
    RECOGNITION_REVOKED = "recognition.revoked"
    RECOGNITION_SUPERSEDED = "recognition.superseded"
    CERTIFICATE_ISSUE = "certificate.issue"
    CERTIFICATE_RENDER = "certificate.render"
    CERTIFICATE_REISSUE = "certificate.reissue"
    CERTIFICATE_BATCH_START = "certificate_batch.start"
    CERTIFICATE_BATCH_RESUME = "certificate_batch.resume"
    # After recognition
    CONSISTENCY_CHECK_RUN = "consistency_check.run"
    CONSISTENCY_CHECK_RESCORE = "consistency_check.rescore"
    CONSISTENCY_CHECK_COMPLETE = "consistency_check.complete"
    REDUCTION_APPLY = "reduction.apply"
    LOOKBACK_RECORD = "lookback.record"
    LOOKBACK_CONCLUDE = "lookback.conclude"
    # Rectification (整改)
    FINDING_RAISE = "finding.raise"
    FINDING_WITHDRAW = "finding.withdraw"
    PLAN_SUBMIT = "rectification_plan.submit"
    PLAN_ACCEPT = "rectification_plan.accept"
    PLAN_RETURN = "rectification_plan.return"
    RECTIFICATION_EVIDENCE_SUBMIT = "rectification_evidence.submit"
    FINDING_VERIFY = "finding.verify"
    FINDING_REOPEN = "finding.reopen"
    ASSESSMENT_CARRY_FORWARD = "assessment.carry_forward"
    CARRIED_CONFIRM = "assessment.carried_confirm"
    # The catalogue (standards)
    EDITION_IMPORT = "edition.import"
    CROSSWALK_IMPORT = "crosswalk.import"
    EDITION_REPLACE = "edition.replace"
    EDITION_CLONE = "edition.clone"
    EDITION_PUBLISH = "edition.publish"
    EDITION_RETIRE = "edition.retire"
    RULESET_IMPORT = "ruleset.import"
    RULESET_UPDATE = "ruleset.update"
    RULESET_PUBLISH = "ruleset.publish"
    RULESET_RETIRE = "ruleset.retire"
    # Direct edits in the Django admin: accreditation's audited models ...
    ADMIN_REGION_ADD = "admin.region.add"
    ADMIN_REGION_CHANGE = "admin.region.change"
    ADMIN_INSTITUTION_ADD = "admin.institution.add"
    ADMIN_INSTITUTION_CHANGE = "admin.institution.change"
    ADMIN_USER_ADD = "admin.user.add"
    ADMIN_USER_CHANGE = "admin.user.change"
    ADMIN_CONFLICTPOLICY_ADD = "admin.conflictpolicy.add"
    ADMIN_CONFLICTPOLICY_CHANGE = "admin.conflictpolicy.change"
    # ... and the catalogue's drafts
    EDITION_ADMIN_ADD = "edition.admin_add"
    EDITION_ADMIN_CHANGE = "edition.admin_change"
    EDITION_ADMIN_DELETE = "edition.admin_delete"
    CHAPTER_ADMIN_ADD = "chapter.admin_add"
    CHAPTER_ADMIN_CHANGE = "chapter.admin_change"
    CHAPTER_ADMIN_DELETE = "chapter.admin_delete"
    SECTION_ADMIN_ADD = "section.admin_add"
    SECTION_ADMIN_CHANGE = "section.admin_change"
    SECTION_ADMIN_DELETE = "section.admin_delete"
    ITEM_ADMIN_ADD = "item.admin_add"
    ITEM_ADMIN_CHANGE = "item.admin_change"
    ITEM_ADMIN_DELETE = "item.admin_delete"
    CRITERION_ADMIN_ADD = "criterion.admin_add"
    CRITERION_ADMIN_CHANGE = "criterion.admin_change"
    CRITERION_ADMIN_DELETE = "criterion.admin_delete"
    RULESET_ADMIN_ADD = "ruleset.admin_add"
    RULESET_ADMIN_CHANGE = "ruleset.admin_change"
    RULESET_ADMIN_DELETE = "ruleset.admin_delete"
    # Benchmark data (the synthetic nation)
    SYNTHETIC_GENERATE = "synthetic.generate"


class AuditEvent(models.Model):
    """One recorded change: who did what to which object, with before and after values.

    Rows are only ever inserted, through :func:`audit_record`.
    Each row is chained to the one before it by ``prev_hash`` and ``hash`` (see
    ``accreditation.core.audit_chain``); ``manage.py verify_audit`` checks the chain.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        help_text=_("Empty for changes made by the system or a command-line operator."),
    )
    action = models.CharField(_("action"), max_length=80)
    target_type = models.CharField(_("target type"), max_length=80)
    target_id = models.CharField(_("target id"), max_length=64)
    target_label = models.CharField(_("target"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    assessment = models.ForeignKey(
        "accreditation.Assessment",
        verbose_name=_("assessment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        db_index=False,  # covered by the audit_assessment index
        help_text=_("Set for every change to an assessment or anything inside it."),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    prev_hash = models.CharField(
        _("previous row's hash"), max_length=64, blank=True, editable=False
    )
    hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
            models.Index(fields=["actor", "-id"], name="audit_actor"),
            models.Index(fields=["assessment", "-id"], name="audit_assessment"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"


def _assessment_model() -> type[models.Model]:
    """The model of the ``assessment`` column (resolved by the app registry)."""
    return AuditEvent._meta.get_field("assessment").related_model


# Every field the INSERT writes besides id and the hashes.
_FIELDS = tuple(
    field
    for field in AuditEvent._meta.concrete_fields
    if field.attname not in {"id", "prev_hash", "hash"}
)

# The chain's next id and previous hash, as the one-row CTE "c" of the INSERT. On
# PostgreSQL the function takes the advisory lock first (see migration 0004).
_NEXT = {
    "postgresql": "SELECT next_id, prev_hash FROM accreditation_audit_chain_next()",
    "sqlite": (
        "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0) + 1"
        " AS next_id, COALESCE((SELECT hash FROM {table} ORDER BY id DESC LIMIT 1), '')"
        " AS prev_hash"
    ),
}
# hash = sha256_hex(prev_hash || "\n" || id || "\n" || content), as audit_chain.chain_hash.
_HASH = {
    "postgresql": (
        "encode(sha256(convert_to(c.prev_hash || chr(10) || c.next_id::text || chr(10) || %s,"
        " 'UTF8')), 'hex')"
    ),
    # SHA256 is registered on every SQLite connection by Django.
    "sqlite": "SHA256(c.prev_hash || char(10) || c.next_id || char(10) || %s)",
}


def _append_sql(vendor: str) -> str:
    if vendor not in _NEXT:
        raise NotImplementedError(f"The audit chain does not support {vendor}.")
    table = AuditEvent._meta.db_table
    columns = ", ".join(field.column for field in _FIELDS if field.column)  # concrete: all
    placeholders = ", ".join("%s" for field in _FIELDS)
    return (
        f"WITH c AS ({_NEXT[vendor].format(table=table)}) "
        f"INSERT INTO {table} (id, {columns}, prev_hash, hash) "
        f"VALUES ((SELECT next_id FROM c), {placeholders}, (SELECT prev_hash FROM c), "
        f"(SELECT {_HASH[vendor]} FROM c)) "
        "RETURNING id, prev_hash, hash"
    )


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: AuditAction,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
    assessment: models.Model | None = None,
) -> AuditEvent:
    """Insert one audit row for ``target``, chained to the previous row. Call it inside
    the service's transaction so the row commits or rolls back with the change it
    records. ``before``/``after`` must be JSON-serialisable. Pass ``assessment`` for
    every change to an assessment or anything inside it (defaults to ``target`` when that
    is an assessment), so the assessment's history is one indexed query. One query.

    Raises ``ValueError`` for an ``action`` that is not an :class:`AuditAction`."""
    stored_action = AuditAction(action).value  # the vocabulary is closed; stored as text
    if assessment is None and isinstance(target, _assessment_model()):
        assessment = target
    event = AuditEvent(
        # By id: this package knows neither the user nor the assessment model.
        assessment_id=assessment.pk if assessment is not None else None,
        actor_id=actor.pk if actor is not None and actor.pk else None,
        action=stored_action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:300],
        before=before,
        after=after,
        note=note,
        created_at=timezone.now(),
    )
    content = audit_chain.canonical_content(
        **{name: getattr(event, name) for name in audit_chain.CONTENT_FIELDS}
    )
    alias = router.db_for_write(AuditEvent)
    connection = connections[alias]
    params = [
        field.get_db_prep_save(getattr(event, field.attname), connection) for field in _FIELDS
    ]
    with connection.cursor() as cursor:
        cursor.execute(_append_sql(connection.vendor), [*params, content])
        event.id, event.prev_hash, event.hash = cursor.fetchone()
    event._state.adding = False
    event._state.db = alias
    return event
