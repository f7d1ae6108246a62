"""Consistency checks after recognition: a deterministic sample of a region's
recognitions, re-scored, with an agreement report per item and per region."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accreditation.core.audit import AuditAction, audit_record
from accreditation.core.errors import DomainError, IncompleteError, Problem
from accreditation.models import (
    ConsistencyCheck,
    ConsistencySample,
    Cycle,
    Recognition,
    Region,
    User,
)
from accreditation.permissions import Action, require
from standards.models import RuleSet
from standards.scoring import VALID_GRADES, Facts, agreement, evaluate
from standards.selectors import edition_spec, rule_spec

MAX_TEXT_CHARS = 4000


def sample_ids(ids: Sequence[int], share: Decimal, seed: str) -> list[int]:
    """A deterministic sample: ``ceil(share * len(ids))`` ids (at least one when there
    are any) drawn with a generator seeded by ``seed``, in id order. Pure."""
    population = sorted(ids)
    if not population:
        return []
    size = min(len(population), max(1, math.ceil(share * len(population))))
    return sorted(random.Random(seed).sample(population, size))


def consistency_check_run(
    *,
    actor: User,
    cycle: Cycle,
    region: Region,
    sample_share: Decimal | str | float,
    seed: str = "",
) -> ConsistencyCheck:
    """Start a consistency check of ``region``'s active recognitions in ``cycle``:
    sample ``sample_share`` of them (0 < share <= 1) with ``seed`` (default: the cycle
    and region, so the same check always draws the same sample) for re-scoring.

    Raises ``PermissionDenied`` unless ``actor`` is a provincial or national officer
    covering ``region``; ``ValidationError`` for a share outside (0, 1] or a region
    outside the cycle's province; ``DomainError`` (``nothing_to_sample``)."""
    require(actor, Action.CHECK_RUN, region)
    try:
        share = Decimal(str(sample_share))
    except InvalidOperation:
        share = Decimal(0)
    if not Decimal(0) < share <= Decimal(1):
        raise ValidationError({"sample_share": _("Choose a share above 0 and at most 1.")})
    if not cycle.province.contains(region):
        raise ValidationError({"region": _("The region is not in the cycle's province.")})
    seed = (seed or f"{cycle.year}-{cycle.province.code}-{region.code}").strip()[:64]
    with transaction.atomic():
        ids = list(
            Recognition.objects.filter(
                cycle=cycle,
                status=Recognition.Status.ACTIVE,
                institution__region__path__startswith=region.path,
            ).values_list("pk", flat=True)
        )
        if not ids:
            raise DomainError(_("No active recognitions to sample."), code="nothing_to_sample")
        check = ConsistencyCheck.objects.create(
            cycle=cycle,
            region=region,
            sample_share=share.quantize(Decimal("0.0001")),
            seed=seed,
            population=len(ids),
            created_by=actor,
        )
        chosen = sample_ids(ids, share, seed)
        ConsistencySample.objects.bulk_create(
            ConsistencySample(check_run=check, recognition_id=pk) for pk in chosen
        )
        audit_record(
            actor=actor,
            action=AuditAction.CONSISTENCY_CHECK_RUN,
            target=check,
            after={"share": str(share), "seed": seed, "population": len(ids), "sample": chosen},
        )
    return check


def consistency_rescore_record(
    *, actor: User, check: ConsistencyCheck, recognition: Recognition, grades: Mapping[str, str]
) -> ConsistencySample:
    """Record the checkers' grades for one sampled recognition: the level they reach
    under the same rule sets and facts as the recognised result, and the agreement with
    the recognised (consolidated) grades.

    Raises ``PermissionDenied`` unless ``actor`` may run checks in the check's region;
    ``DomainError`` (``check_completed``, ``not_sampled``); ``ValidationError`` when a
    grade is invalid or an item is missing or unknown."""
    require(actor, Action.CHECK_RUN, check.region)
    with transaction.atomic():
        locked = ConsistencyCheck.objects.select_for_update().get(pk=check.pk)
        if locked.status != ConsistencyCheck.Status.OPEN:
            raise DomainError(_("The check is completed."), code="check_completed")
        sample = (
            ConsistencySample.objects.select_for_update(of=("self",))
            .select_related("recognition__decision__result")
            .filter(check_run=locked, recognition=recognition)
            .first()
        )
        if sample is None:
            raise DomainError(_("This recognition is not in the sample."), code="not_sampled")
        result = sample.recognition.decision.result
        recognised = result.inputs["grades"]
        grades = dict(grades)
        errors = []
        if set(grades) != set(recognised):
            missing = sorted(set(recognised) - set(grades))
            unknown = sorted(set(grades) - set(recognised))
            errors.append(
                _("Missing items: %(m)s; unknown items: %(u)s")
                % {
                    "m": ", ".join(missing) or "-",
                    "u": ", ".join(unknown) or "-",
                }
            )
        bad = sorted(code for code, grade in grades.items() if grade not in VALID_GRADES)
        if bad:
            errors.append(_("Invalid grades for %(codes)s") % {"codes": ", ".join(bad)})
        if errors:
            raise ValidationError({"grades": errors})
        rule_sets = RuleSet.objects.filter(
            pk__in=[entry["id"] for entry in result.rule_sets.values()]
        ).select_related("edition")
        rules = {rs.level: rule_spec(rs) for rs in rule_sets}
        edition = edition_spec(edition=next(iter(rule_sets)).edition)
        evaluation = evaluate(edition, rules, Facts(**result.inputs["facts"]), grades)
        codes = list(recognised)
        sample.grades = grades
        sample.rescored_level = evaluation.level or ""
        sample.agreement = agreement(recognised, grades, codes).as_dict()
        sample.rescored_by = actor
        sample.rescored_at = timezone.now()
        sample.save()
        audit_record(
            actor=actor,
            action=AuditAction.CONSISTENCY_CHECK_RESCORE,
            target=sample,
            assessment=sample.recognition.assessment,
            after={"level": sample.rescored_level, "agreement": sample.agreement},
        )
    return sample


def _region_key(path: str, depth: int) -> str:
    return "/".join(path.split("/")[:depth]) + "/"


def consistency_report(samples: Sequence[tuple[str, str, dict, dict]], depth: int) -> dict:
    """Agreement per item, per region (the level below the checked region) and overall,
    from ``(region_path, recognised_level_vs_rescored, recognised, rescored)``. Pure."""
    per_item: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_region: dict[str, tuple[dict, dict]] = defaultdict(lambda: ({}, {}))
    overall: tuple[dict, dict] = ({}, {})
    level_changes = 0
    for index, (path, levels, recognised, rescored) in enumerate(samples):
        level_changes += levels == "changed"
        key = _region_key(path, depth)
        for code, grade in recognised.items():
            counts = per_item[code]
            counts[0] += 1
            counts[1] += grade == rescored.get(code)
            pooled = f"{index}:{code}"
            for target in (per_region[key], overall):
                target[0][pooled] = grade
                target[1][pooled] = rescored.get(code, "")

    def summary(pair: tuple[dict, dict]) -> dict[str, Any]:
        return agreement(pair[0], pair[1]).as_dict()

    return {
        "samples": len(samples),
        "level_changes": level_changes,
        "overall": summary(overall),
        "per_region": {key: summary(pair) for key, pair in sorted(per_region.items())},
        "per_item": {
            code: {"compared": n, "agreed": agreed, "rate": round(agreed / n, 4)}
            for code, (n, agreed) in sorted(per_item.items())
        },
    }


def consistency_check_complete(*, actor: User, check: ConsistencyCheck) -> ConsistencyCheck:
    """Complete a check once every sample is re-scored and store the agreement report:
    per item, per region (one level below the checked region) and overall, with the
    number of samples whose level changed.

    Raises ``PermissionDenied`` as :func:`consistency_check_run`; ``DomainError``
    (``check_completed``); ``IncompleteError`` listing the samples not re-scored."""
    require(actor, Action.CHECK_RUN, check.region)
    with transaction.atomic():
        locked = (
            ConsistencyCheck.objects.select_for_update().select_related("region").get(pk=check.pk)
        )
        if locked.status != ConsistencyCheck.Status.OPEN:
            raise DomainError(_("The check is completed."), code="check_completed")
        samples = list(
            locked.samples.select_related(
                "recognition__institution__region", "recognition__decision__result"
            ).order_by("id")
        )
        missing = [s for s in samples if s.grades is None]
        if missing:
            raise IncompleteError(
                _("%(count)d samples are not re-scored.") % {"count": len(missing)},
                problems=[
                    Problem("not_rescored", str(s.recognition.institution), str(s.recognition_id))
                    for s in missing
                ],
            )
        depth = locked.region.path.count("/") + 1
        locked.report = consistency_report(
            [
                (
                    s.recognition.institution.region.path,
                    "same" if s.rescored_level == s.recognition.level else "changed",
                    s.recognition.decision.result.inputs["grades"],
                    s.grades,
                )
                for s in samples
                if s.grades is not None  # every one: refused above otherwise
            ],
            depth,
        )
        locked.status = ConsistencyCheck.Status.COMPLETED
        locked.completed_at = timezone.now()
        locked.save(update_fields=["report", "status", "completed_at"])
        audit_record(
            actor=actor,
            action=AuditAction.CONSISTENCY_CHECK_COMPLETE,
            target=locked,
            after={
                "overall": locked.report["overall"],
                "level_changes": locked.report["level_changes"],
            },
        )
    return locked
