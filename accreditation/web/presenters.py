"""Shapes for the templates: the checklist grouped by chapter and section, criteria in
C, B, A order, and the scoring engine's results as translated sentences.

The engine's own ``describe()`` texts are English for logs and the command line;
people read these instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accreditation.models import ItemGrade
from accreditation.selectors.assessments import ChapterProgress, ChecklistRow
from accreditation.selectors.items import item_criteria
from accreditation.selectors.scoring import ProvisionalResult
from accreditation.selectors.workspace import Workspace
from standards.models import Criterion, Level
from standards.scoring import ConditionResult, GapPlan

GRADE_ORDER = {"C": 0, "B": 1, "A": 2}
LEVEL_LABELS = dict(Level.choices)

#: Grade value -> short label on buttons and in lists.
GRADE_LABELS: dict[str, Any] = {
    ItemGrade.Value.UNGRADED: gettext_lazy("not graded"),
    ItemGrade.Value.NONE: gettext_lazy("Not met"),
    "C": "C",
    "B": "B",
    "A": "A",
    ItemGrade.Value.NA: gettext_lazy("N/A"),
}
#: The buttons of an item, in order.
GRADE_CHOICES: tuple[str, ...] = ("none", "C", "B", "A", "NA")

FACT_LABELS: dict[str, Any] = {
    "medical_staff": gettext_lazy("medical staff"),
    "service_population": gettext_lazy("service population"),
    "beds": gettext_lazy("beds"),
    "inpatient_ward": gettext_lazy("inpatient ward"),
}


def grade_label(value: str) -> str:
    return str(GRADE_LABELS.get(value, value))


def level_label(level: str | None) -> str:
    if not level:
        return _("No level reached yet")
    return str(LEVEL_LABELS.get(level, level))


def percent(value: float) -> str:
    return number_format(value * 100, decimal_pos=1) + "%"


@dataclass(frozen=True, slots=True)
class CriterionView:
    grade: str
    text: str
    steps: tuple[dict, ...]
    threshold: str


@dataclass(frozen=True, slots=True)
class ItemView:
    row: ChecklistRow
    criteria: list[CriterionView]

    @property
    def code(self) -> str:
        return self.row.code


@dataclass(slots=True)
class SectionView:
    code: str
    title: str
    items: list[ItemView] = field(default_factory=list)


@dataclass(slots=True)
class ChapterView:
    progress: ChapterProgress
    sections: list[SectionView] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.progress.code

    @property
    def title(self) -> str:
        return self.progress.title


def criteria_of(row: ChecklistRow) -> list[CriterionView]:
    """The item's criteria in C, B, A order (uses the prefetched criteria)."""
    item = row.grade.item
    views = []
    criteria = item_criteria(item=item)
    for criterion in sorted(criteria, key=lambda c: GRADE_ORDER.get(c.grade, 9)):
        threshold = ""
        if criterion.threshold_operator and criterion.threshold_value is not None:
            symbol = dict(Criterion.Operator.choices).get(criterion.threshold_operator, "")
            value = number_format(criterion.threshold_value.normalize())
            threshold = " ".join(
                part for part in (item.metric_label, symbol, value, item.metric_unit) if part
            )
        steps = tuple(s for s in criterion.steps if isinstance(s, dict))
        views.append(CriterionView(criterion.grade, criterion.text, steps, threshold))
    return views


def checklist_chapters(workspace: Workspace) -> list[ChapterView]:
    """Rows grouped by chapter and section, in catalogue order."""
    chapters: dict[str, ChapterView] = {
        progress.code: ChapterView(progress) for progress in workspace.progress.chapters
    }
    for row in workspace.rows:
        section = row.grade.item.section
        chapter = chapters[section.chapter.code]
        if not chapter.sections or chapter.sections[-1].code != section.code:
            chapter.sections.append(SectionView(section.code, section.title))
        chapter.sections[-1].items.append(ItemView(row, criteria_of(row)))
    return list(chapters.values())


def _condition_text(condition: ConditionResult) -> str:
    figures = {
        "actual": percent(float(condition.actual_share or 0)),
        "required": percent(float(condition.required_share or 0)),
        "count": condition.actual_count,
        "total": condition.denominator,
        "need": condition.required_count,
    }
    if condition.code == "basic_C":
        return (
            _(
                "Basic-tier items at C or better: %(actual)s, %(required)s required "
                "(%(count)s of %(total)s items, %(need)s needed)"
            )
            % figures
        )
    if condition.code == "basic_B":
        return (
            _(
                "Basic-tier items at B or better: %(actual)s, %(required)s required "
                "(%(count)s of %(total)s items, %(need)s needed)"
            )
            % figures
        )
    if condition.code == "basic_A":
        return (
            _(
                "Basic-tier items at A: %(actual)s, %(required)s required "
                "(%(count)s of %(total)s items, %(need)s needed)"
            )
            % figures
        )
    if condition.code == "recommended_C":
        return (
            _(
                "Recommended-tier (★) items at C or better: %(actual)s, %(required)s required "
                "(%(count)s of %(total)s items, %(need)s needed)"
            )
            % figures
        )
    if condition.code == "eligibility":
        return _("The institution's size does not qualify for this level.")
    if condition.code == "must_pass":
        return _("Items that must reach a required grade fall short: %(items)s") % {
            "items": ", ".join(condition.items)
        }
    return condition.describe()


@dataclass(frozen=True, slots=True)
class LevelView:
    level: str
    label: str
    reached: bool
    failures: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UpgradeView:
    item: str
    title: str
    from_grade: str
    to_grade: str


@dataclass(frozen=True, slots=True)
class ResultView:
    level: str | None
    label: str
    target: str
    target_label: str
    target_reached: bool
    levels: tuple[LevelView, ...]
    plan_target_label: str
    plan_reachable: bool
    plan_reason: str
    upgrades: tuple[UpgradeView, ...]
    facts_declared: bool


def _plan(plan: GapPlan, titles: dict[str, str]) -> tuple[UpgradeView, ...]:
    return tuple(
        UpgradeView(u.item, titles.get(u.item, ""), grade_label(u.from_grade), u.to_grade)
        for u in plan.upgrades
    )


def result_view(result: ProvisionalResult, titles: dict[str, str]) -> ResultView:
    """The provisional level, why each higher level is not reached, and the gap plan."""
    evaluation = result.evaluation
    levels = tuple(
        LevelView(
            level=r.level,
            label=level_label(r.level),
            reached=r.reached,
            failures=tuple(_condition_text(c) for c in r.failures),
        )
        for r in evaluation.levels
    )
    reached = {lv.level for lv in levels if lv.reached}
    plan = result.plan
    reason = ""
    if plan.target is not None and not plan.reachable:
        reason = _("This level cannot be reached with the current applicability and facts.")
    return ResultView(
        level=evaluation.level,
        label=level_label(evaluation.level),
        target=result.target_level,
        target_label=level_label(result.target_level),
        target_reached=result.target_level in reached,
        levels=levels,
        plan_target_label=level_label(plan.target) if plan.target else "",
        plan_reachable=plan.reachable,
        plan_reason=reason,
        upgrades=_plan(plan, titles),
        facts_declared=result.facts_declared,
    )


def workspace_result(workspace: Workspace) -> ResultView:
    titles = {row.code: row.grade.item.title for row in workspace.rows}
    return result_view(workspace.result, titles)


def autosave_texts(fields: dict[str, str]) -> dict[str, Any]:
    """The autosave script's messages (``checklist.js``), with the labels of the
    page's item fields for the conflict panel."""
    return {
        "saving": _("Saving…"),
        "saved": _("Saved"),
        "unsaved": _("Not saved yet"),
        "needGrade": _("Choose a grade to save"),
        "error": _("Not saved"),
        "retry": _("Retry"),
        "conflict": _("Someone else changed this item"),
        "conflictText": _(
            "%(name)s saved this item after you opened the page. Their values are "
            "below; choose which to keep."
        ),
        "someone": _("Another user"),
        "theirs": _("Use theirs"),
        "mine": _("Keep mine"),
        "fields": fields,
        "empty": _("(empty)"),
        "grades": {k: str(v) for k, v in GRADE_LABELS.items()},
        "uploading": _("Uploading…"),
        "uploaded": _("File attached"),
        "remove": _("Remove"),
        "removeConfirm": _("Remove this file from the item?"),
        "session": _("Your session has ended; sign in again in another tab, then retry."),
        "offline": _("No connection; your changes are kept and will be retried."),
        "leave": _("Some changes are not saved yet."),
        "waitSaves": _("Saving your last changes before submitting…"),
        "restored": _("Unsaved changes from your last visit were restored."),
    }


def offline_texts() -> dict[str, str]:
    """The offline scoring's messages (``checklist.js`` in offline mode): the sync
    status, the conflict panel's merge and the photo queue."""
    return {
        "merge": _("Merge both"),
        "syncConflicts": _("%(n)s conflicts to resolve"),
        "syncOffline": _("Offline: %(n)s changes kept on this device"),
        "syncPending": _("Syncing %(n)s changes…"),
        "syncOfflineNone": _("Offline: nothing waiting to sync"),
        "syncDone": _("All changes synced"),
        "photoQueued": _("Photo kept on this device; uploads when online"),
        "photoWaiting": _("Photo kept: the photo service is not available yet"),
        "photoUploaded": _("Photo uploaded"),
    }
