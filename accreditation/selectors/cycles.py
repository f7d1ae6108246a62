"""Reads of cycles for the institution's and the officer's pages: the cycles an
institution takes part in, their deadlines and standards. One query each."""

from __future__ import annotations

from accreditation.models import Assessment, Cycle, CycleDeadline, CycleStandard, Institution, User


def _province_code(region_path: str) -> str:
    """The province's division code at the top of a region path."""
    return region_path.split("/", 1)[0]


def cycles_for_institution(*, institution: Institution) -> list[Cycle]:
    """The cycles of the institution's province, newest year first."""
    return list(
        Cycle.objects.filter(province__code=_province_code(institution.region.path)).order_by(
            "-year"
        )
    )


def cycle_get_for_institution(*, institution: Institution, cycle_id: int) -> Cycle | None:
    """The cycle if it belongs to the institution's province; None otherwise (or when it
    does not exist)."""
    return Cycle.objects.filter(
        pk=cycle_id, province__code=_province_code(institution.region.path)
    ).first()


def cycle_deadlines(*, cycle: Cycle) -> list[CycleDeadline]:
    """The cycle's deadlines, earliest first."""
    return list(CycleDeadline.objects.filter(cycle=cycle).order_by("due_on"))


def cycle_standard_for_institution(
    *, cycle: Cycle, institution: Institution
) -> CycleStandard | None:
    """The edition and rule sets the cycle applies to the institution's kind; None when
    the cycle has none for it."""
    return CycleStandard.objects.filter(cycle=cycle, kind=institution.standard_kind).first()


def cycle_standard_of(*, assessment: Assessment) -> CycleStandard | None:
    """The cycle's standard of the assessment's edition; None when the cycle dropped it
    (``scoring.cycle_standard_for`` raises instead)."""
    return CycleStandard.objects.filter(
        cycle_id=assessment.cycle_id, edition_id=assessment.edition_id
    ).first()


def cycles_for_officer(*, viewer: User) -> list[Cycle]:
    """Cycles an officer can run checks in: their province's (every province's for
    national officers), newest first, with the province."""
    cycles = Cycle.objects.select_related("province").order_by("-year", "province__code")
    if viewer.region is not None:
        cycles = cycles.filter(province__path=_province_code(viewer.region.path) + "/")
    return list(cycles)


def cycle_get(*, cycle_id: int) -> Cycle | None:
    """The cycle with its province; None when it does not exist. Cycles are public to
    every role (``visibility.cycles_visible_to``); the services check what may be done
    in them."""
    return Cycle.objects.select_related("province").filter(pk=cycle_id).first()
