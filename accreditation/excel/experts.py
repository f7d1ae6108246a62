"""The expert pool (sheet 专家库): columns, parsing and a template. Pure.

One row per expert, keyed by username. The employer and declared conflicts are given
by practice-licence number, so institutions are imported first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accreditation.excel import reading as r
from accreditation.excel.writing import import_workbook

SHEET = "专家库"
_username_validator = UnicodeUsernameValidator()


def username(value: Any) -> str:
    result = r.code(value)
    try:
        _username_validator(result)
    except ValidationError:
        raise r.Invalid(
            _("%(value)r is not a valid username (letters, digits and @.+-_).") % {"value": result}
        ) from None
    if len(result) > 150:
        raise r.Invalid(_("A username has at most 150 characters."))
    return result


COLUMNS: tuple[r.Column, ...] = (
    r.Column("username", "用户名", username, required=True, note="登录名；已存在的专家按此更新"),
    r.Column("full_name", "姓名", r.text, required=True),
    r.Column("employer_licence", "工作单位执业许可证登记号", r.code, note="在参评机构工作时填写"),
    r.Column("home_region_code", "常住地行政区划代码", r.digits, required=True),
    r.Column("specialty", "专业", r.text),
    r.Column(
        "declared_conflicts",
        "申报回避机构",
        r.code_list,
        note="执业许可证登记号，多个用逗号或顿号分隔",
    ),
    r.Column("email", "电子邮箱", r.email),
)


@dataclass(frozen=True, slots=True)
class ExpertRow:
    row: int
    username: str
    full_name: str
    home_region_code: str
    employer_licence: str = ""
    specialty: str = ""
    declared_conflicts: tuple[str, ...] = ()
    email: str = ""


@dataclass
class ExpertSheet:
    rows: list[ExpertRow]
    table: r.Table


def parse(source: r.Source, *, max_rows: int, max_bytes: int) -> ExpertSheet:
    """Read and check the sheet without the database (cell types, required cells,
    usernames repeated in the file). Errors are on ``table.errors``."""
    table = r.read_table(
        source, sheet=SHEET, columns=COLUMNS, max_rows=max_rows, max_bytes=max_bytes
    )
    rows: list[ExpertRow] = []
    first_seen: dict[str, int] = {}
    for row in table.rows:
        v = row.values
        name = v["username"]
        if name.lower() in first_seen:
            table.error(
                row.number,
                "username",
                _("Username %(value)s repeats row %(row)d.")
                % {"value": name, "row": first_seen[name.lower()]},
            )
            continue
        first_seen[name.lower()] = row.number
        rows.append(
            ExpertRow(
                row=row.number,
                username=name,
                full_name=v["full_name"],
                home_region_code=v["home_region_code"],
                employer_licence=v["employer_licence"] or "",
                specialty=v["specialty"] or "",
                declared_conflicts=v["declared_conflicts"] or (),
                email=v["email"] or "",
            )
        )
    return ExpertSheet(rows=rows, table=table)


def write(rows: Iterable[ExpertRow] = ()) -> bytes:
    """A workbook in the import format: the headers, then ``rows`` (none: a blank
    template), and a sheet 说明 describing each column."""
    return import_workbook(
        SHEET,
        COLUMNS,
        (
            [
                row.username,
                row.full_name,
                row.employer_licence,
                row.home_region_code,
                row.specialty,
                "、".join(row.declared_conflicts),
                row.email,
            ]
            for row in rows
        ),
        widths=[16, 12, 28, 18, 16, 40, 26],
        header_width=26,
    )
