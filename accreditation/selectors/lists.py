"""The published lists as exports: a public notice's entries and the recognitions of a
region, permission-checked, in a constant number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count
from django.utils import timezone

from accreditation.excel.notices import NoticeEntryRow, NoticeList
from accreditation.excel.recognitions import RecognitionList, RecognitionRow
from accreditation.models import CertificateRecord, PublicNoticeEntry, Recognition, Region
from accreditation.permissions import Action, require
from accreditation.selectors.visibility import notices_visible_to, objections_visible_to

LEVEL_ORDER = {"recommended": 0, "basic": 1, "qualified": 2}


def _names_below(paths: set[str], prefix: str) -> dict[str, list[str]]:
    """Region path -> names of its regions below ``prefix``, top first. One query."""
    codes = {code for path in paths for code in path[len(prefix) :].split("/") if code}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return {
        path: [names.get(code, code) for code in path[len(prefix) :].split("/") if code]
        for path in paths
    }


def notice_list(*, user: Any, notice_id: int) -> NoticeList:
    """A public notice (公示) with its entries in listing order. Notices are public to
    every user with a role; the objection counts only to those who may see objections
    (officers covering the region, administrators), else 0. Raises
    ``PublicNotice.DoesNotExist`` when the user may not see it. Four queries."""
    notice = notices_visible_to(user).select_related("region").get(pk=notice_id)
    objections = dict(
        objections_visible_to(user)
        .filter(notice=notice)
        .values_list("entry_id")
        .annotate(n=Count("id"))
        .values_list("entry_id", "n")
    )
    entries = list(
        PublicNoticeEntry.objects.filter(notice=notice)
        .select_related("assessment__institution__region")
        .order_by("id")
    )
    paths = {e.assessment.institution.region.path for e in entries}
    names = _names_below(paths, notice.region.path)
    return NoticeList(
        title=notice.title,
        document_number=notice.document_number,
        issuing_region=notice.region.name,
        starts_on=notice.starts_on,
        ends_on=notice.ends_on,
        rows=tuple(
            NoticeEntryRow(
                region="".join(names[e.assessment.institution.region.path]),
                institution_name=e.assessment.institution.name,
                institution_kind=e.assessment.institution.kind,
                licence_number=e.assessment.institution.licence_number,
                level=e.level,
                status=e.status,
                objections=objections.get(e.pk, 0),
            )
            for e in entries
        ),
    )


def recognition_list(
    *, user: Any, region: Region | None, year: int | None = None, on: dt.date | None = None
) -> RecognitionList:
    """Every recognition of the institutions in ``region`` (None: the whole country),
    of the cycles of ``year`` (None: all), grouped by the child region they lie in,
    then by level (highest first) and name, with the number of the certificate in
    force (or the latest). Raises ``PermissionDenied`` unless the user may report on
    the region (``Action.REGION_REPORT``). Three queries."""
    require(user, Action.REGION_REPORT, region)
    prefix = region.path if region else ""
    query = Recognition.objects.filter(institution__region__path__startswith=prefix).select_related(
        "institution__region", "cycle"
    )
    if year is not None:
        query = query.filter(cycle__year=year)
    recognitions = sorted(
        query,
        key=lambda r: (
            r.institution.region.path[len(prefix) :].split("/", 1)[0],
            LEVEL_ORDER.get(r.level, 9),
            r.institution.name,
        ),
    )
    numbers: dict[int, str] = {}
    for recognition_id, number, status in (
        CertificateRecord.objects.filter(recognition__in=[r.pk for r in recognitions])
        .order_by("id")
        .values_list("recognition_id", "number", "status")
    ):
        if status == CertificateRecord.Status.VALID or recognition_id not in numbers:
            numbers[recognition_id] = number
    names = _names_below({r.institution.region.path for r in recognitions}, prefix)
    rows = []
    for r in recognitions:
        below = names[r.institution.region.path]
        rows.append(
            RecognitionRow(
                group=below[0] if below else (region.name if region else ""),
                region="".join(below[1:]) or (below[0] if below else ""),
                institution_name=r.institution.name,
                institution_kind=r.institution.kind,
                licence_number=r.institution.licence_number,
                level=r.level,
                recognised_on=r.recognised_on,
                valid_until=r.valid_until,
                document_number=r.notice_document_number,
                certificate_number=numbers.get(r.pk, ""),
                status=r.status,
            )
        )
    order = {child: n for n, child in enumerate(sorted({row.group for row in rows}))}
    rows.sort(
        key=lambda row: (order[row.group], LEVEL_ORDER.get(row.level, 9), row.institution_name)
    )
    return RecognitionList(
        region=region.name if region else "全国",
        year=year,
        generated_on=on or timezone.localdate(),
        rows=tuple(rows),
    )
