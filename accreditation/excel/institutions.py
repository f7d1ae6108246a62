"""The institution list (sheet 机构名单): columns, parsing and a template. Pure.

One row per institution, keyed by its practice-licence number. The five facts columns
(staff, population, beds, ward, effective date) are filled together or left empty
together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from accreditation.excel import reading as r
from accreditation.excel.writing import import_workbook

SHEET = "机构名单"

#: Printed kind -> Institution.Kind value (codes accepted too).
KINDS: dict[str, str] = {
    "乡镇卫生院": "thc",
    "中心乡镇卫生院": "central_thc",
    "社区卫生服务中心": "chc",
    "thc": "thc",
    "central_thc": "central_thc",
    "chc": "chc",
}
KIND_LABELS: dict[str, str] = {
    "thc": "乡镇卫生院",
    "central_thc": "中心乡镇卫生院",
    "chc": "社区卫生服务中心",
}
FACT_KEYS = ("medical_staff", "service_population", "beds", "inpatient_ward", "effective_from")

COLUMNS: tuple[r.Column, ...] = (
    r.Column("name", "机构名称", r.text, required=True),
    r.Column(
        "kind",
        "机构类型",
        r.choice(KINDS),
        required=True,
        note="乡镇卫生院、中心乡镇卫生院或社区卫生服务中心",
    ),
    r.Column("licence_number", "执业许可证登记号", r.code, required=True),
    r.Column(
        "category_code",
        "类别代码",
        r.choice({"B": "B", "C": "C"}),
        note="B（社区）或 C（卫生院）；可空",
    ),
    r.Column(
        "region_code", "行政区划代码", r.digits, required=True, note="所在县（区）或乡镇的区划代码"
    ),
    r.Column("address", "地址", r.text),
    r.Column("contact_name", "联系人", r.text),
    r.Column("contact_phone", "联系电话", r.text),
    r.Column("contact_email", "联系邮箱", r.email),
    r.Column("medical_staff", "卫生技术人员数", r.count, note="以下五列同时填写或同时留空"),
    r.Column("service_population", "服务人口数", r.count),
    r.Column("beds", "床位数", r.count),
    r.Column("inpatient_ward", "设置病房", r.yes_no, note="是或否"),
    r.Column("effective_from", "生效日期", r.date, note="例如 2026-01-01"),
)


@dataclass(frozen=True, slots=True)
class FactsRow:
    effective_from: dt.date
    medical_staff: int
    service_population: int
    beds: int
    inpatient_ward: bool


@dataclass(frozen=True, slots=True)
class InstitutionRow:
    row: int
    name: str
    kind: str
    licence_number: str
    region_code: str
    address: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    facts: FactsRow | None = None


@dataclass
class InstitutionSheet:
    rows: list[InstitutionRow]
    table: r.Table


CATEGORY_OF_KIND = {"thc": "C", "central_thc": "C", "chc": "B"}


def parse(source: r.Source, *, max_rows: int, max_bytes: int) -> InstitutionSheet:
    """Read and check the sheet without the database: cell types, required cells, the
    kind against the category code, the facts group and licence numbers repeated in
    the file. Errors are on ``table.errors``; only clean rows are returned."""
    table = r.read_table(
        source, sheet=SHEET, columns=COLUMNS, max_rows=max_rows, max_bytes=max_bytes
    )
    rows: list[InstitutionRow] = []
    first_seen: dict[str, int] = {}
    for row in table.rows:
        v = row.values
        ok = True
        category = v["category_code"]
        if category and category != CATEGORY_OF_KIND[v["kind"]]:
            table.error(
                row.number,
                "category_code",
                _("Category code %(code)s does not match the kind %(kind)s (expected %(ok)s).")
                % {
                    "code": category,
                    "kind": KIND_LABELS[v["kind"]],
                    "ok": CATEGORY_OF_KIND[v["kind"]],
                },
            )
            ok = False
        filled = [key for key in FACT_KEYS if v[key] is not None]
        if filled and len(filled) < len(FACT_KEYS):
            for key in FACT_KEYS:
                if v[key] is None:
                    table.error(
                        row.number,
                        key,
                        _("Fill the five facts columns together or leave all empty."),
                    )
            ok = False
        elif filled and v["inpatient_ward"] and v["beds"] == 0:
            table.error(row.number, "beds", _("An inpatient ward needs beds."))
            ok = False
        licence = v["licence_number"]
        if licence in first_seen:
            table.error(
                row.number,
                "licence_number",
                _("Licence number %(value)s repeats row %(row)d.")
                % {"value": licence, "row": first_seen[licence]},
            )
            ok = False
        else:
            first_seen[licence] = row.number
        if not ok:
            continue
        facts = FactsRow(**{key: v[key] for key in FACT_KEYS}) if filled else None
        rows.append(
            InstitutionRow(
                row=row.number,
                name=v["name"],
                kind=v["kind"],
                licence_number=licence,
                region_code=v["region_code"],
                address=v["address"] or "",
                contact_name=v["contact_name"] or "",
                contact_phone=v["contact_phone"] or "",
                contact_email=v["contact_email"] or "",
                facts=facts,
            )
        )
    return InstitutionSheet(rows=rows, table=table)


def write(rows: Iterable[InstitutionRow] = ()) -> bytes:
    """A workbook in the import format: the headers, then ``rows`` (none: a blank
    template), and a sheet 说明 describing each column."""
    return import_workbook(
        SHEET,
        COLUMNS,
        (_cells(row) for row in rows),
        widths=[30, 16, 28, 10, 14, 30, 10, 16, 24, 14, 12, 8, 10, 12],
        header_width=20,
    )


def _cells(row: InstitutionRow) -> list[object]:
    facts = row.facts
    return [
        row.name,
        KIND_LABELS[row.kind],
        row.licence_number,
        CATEGORY_OF_KIND[row.kind],
        row.region_code,
        row.address,
        row.contact_name,
        row.contact_phone,
        row.contact_email,
        *(
            (
                facts.medical_staff,
                facts.service_population,
                facts.beds,
                "是" if facts.inpatient_ward else "否",
                facts.effective_from,
            )
            if facts
            else (None,) * 5
        ),
    ]
