"""Spreadsheet imports of institutions and experts: all or nothing, idempotent."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from accreditation.excel import experts as expert_sheet
from accreditation.excel import institutions as institution_sheet
from accreditation.excel.reading import ImportRefused
from accreditation.models import AuditEvent, ExpertProfile, Institution, InstitutionFacts, User
from accreditation.services.imports import experts_import, institutions_import
from tests.accreditation.excel.helpers import (
    INSTITUTION_HEADERS,
    expert,
    institution,
    raw_workbook,
)


def counts() -> tuple[int, int, int, int, int]:
    return (
        Institution.objects.count(),
        InstitutionFacts.objects.count(),
        User.objects.count(),
        ExpertProfile.objects.count(),
        AuditEvent.objects.count(),
    )


def refused(importer, data, actor=None) -> list:
    before = counts()
    with pytest.raises(ImportRefused) as info:
        importer(actor=actor, source=data)
    assert counts() == before, "nothing may be written"
    return info.value.errors


def test_import_creates_institutions_with_facts_through_the_services(world):
    rows = [institution(1), institution(2, kind="chc", region_code="990202", facts=None)]
    result = institutions_import(actor=world.administrator, source=institution_sheet.write(rows))

    assert (result.rows, result.created, result.updated, result.unchanged) == (2, 2, 0, 0)
    one = Institution.objects.get(licence_number="IMP000001")
    assert (one.name, one.kind, one.category_code, one.region, one.contact_email) == (
        "导入第1卫生院",
        "thc",
        "C",
        world.county_a,
        "c1@example.cn",
    )
    facts = one.facts_snapshots.get()
    assert (facts.effective_from, facts.medical_staff, facts.beds, facts.inpatient_ward) == (
        dt.date(2026, 1, 1),
        31,
        10,
        True,
    )
    assert Institution.objects.get(licence_number="IMP000002").category_code == "B"
    actions = list(
        AuditEvent.objects.filter(actor=world.administrator).values_list("action", flat=True)
    )
    assert sorted(actions) == ["facts.record", "institution.create", "institution.create"]


def test_reimporting_the_same_file_changes_nothing(world):
    data = institution_sheet.write([institution(n) for n in range(1, 4)])
    institutions_import(actor=None, source=data)
    before = counts()

    result = institutions_import(actor=None, source=data)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert counts() == before


def test_reimport_updates_contacts_and_records_changed_facts(world):
    data = institution_sheet.write([institution(1), institution(2)])
    institutions_import(actor=None, source=data)
    first = institution(1)
    changed = [
        institution(1, contact_phone="110", facts=first.facts.__class__(
            dt.date(2026, 1, 1), 99, 20000, 10, True
        )),
        institution(2),
    ]  # fmt: skip
    audit_before = AuditEvent.objects.count()

    result = institutions_import(actor=None, source=institution_sheet.write(changed))

    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    one = Institution.objects.get(licence_number="IMP000001")
    assert one.contact_phone == "110"
    assert one.facts_snapshots.get().medical_staff == 99
    new = AuditEvent.objects.filter(pk__gt=0).order_by("id")[audit_before:]
    assert [e.action for e in new] == ["institution.details_set", "facts.record"]
    assert new[0].before == {"contact_phone": "0571-1234567"}


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (institution(2, region_code="123456"), "E", "No region has the code 123456."),
        (institution(2, region_code="990100"), "E", "is not a county or township"),
        # registered as a 乡镇卫生院
        (institution(2, licence_number="PDY-A", kind="central_thc"), "B", "is a 乡镇卫生院"),
    ],
    ids=["unknown-region", "city-region", "kind-change"],
)
def test_a_row_refused_by_the_database_checks_writes_nothing(world, row, column, reason):
    Institution.objects.filter(pk=world.institution_a.pk).update(licence_number="PDY-A")
    data = institution_sheet.write([institution(1), row, institution(3)])

    (error,) = refused(institutions_import, data)

    assert (error.sheet, error.row, error.column) == ("机构名单", 3, column)
    assert reason in error.reason


def test_a_registered_institution_cannot_move_region_by_import(world):
    Institution.objects.filter(pk=world.institution_a.pk).update(licence_number="PDY-A")
    row = institution(1, licence_number="PDY-A", region_code="990202")
    (error,) = refused(institutions_import, institution_sheet.write([row]))
    assert (error.row, error.column, error.header) == (2, "E", "行政区划代码")
    assert "cannot move" in error.reason


BASE = ["乙卫生院", "乡镇卫生院", "L9", "", "990102"]


@pytest.mark.parametrize(
    ("cells", "header"),
    [
        (["", "乡镇卫生院", "L9", "", "990102"], "机构名称"),
        (["乙卫生院", "诊所", "L9", "", "990102"], "机构类型"),
        (["乙卫生院", "乡镇卫生院", "", "", "990102"], "执业许可证登记号"),
        (["乙卫生院", "乡镇卫生院", "L9", "B", "990102"], "类别代码"),
        (["乙卫生院", "乡镇卫生院", "L9", "", "东川"], "行政区划代码"),
        (["乙卫生院", "乡镇卫生院", "L9", "", "990102", "", "", "", "x@"], "联系邮箱"),
        (["乙卫生院", "乡镇卫生院", "L9", "", "990102", "", "", "", "", "多"], "卫生技术人员数"),
        (["乙卫生院", "乡镇卫生院", "L9", "", "990102", *[""] * 4, 5, 100, 2, "否"], "生效日期"),
        ([*BASE, *[""] * 4, 5, 100, 2, "否", "2026-13-01"], "生效日期"),
        ([*BASE, *[""] * 4, 5, 100, 0, "是", "2026-1-1"], "床位数"),
    ],
    ids=[
        "no-name",
        "unknown-kind",
        "no-licence",
        "category-mismatch",
        "region-not-digits",
        "bad-email",
        "staff-not-a-number",
        "facts-incomplete",
        "impossible-date",
        "ward-without-beds",
    ],
)
def test_each_kind_of_bad_cell_writes_nothing(world, cells, header):
    good = ["甲卫生院", "乡镇卫生院", "L8", "C", "990102"]
    data = raw_workbook("机构名单", [INSTITUTION_HEADERS, good, cells])

    (error,) = refused(institutions_import, data)

    assert (error.sheet, error.row, error.header) == ("机构名单", 3, header)
    assert error.column == "ABCDEFGHIJKLMN"[INSTITUTION_HEADERS.index(header)]
    assert error.reason


def test_every_bad_row_is_reported_at_once(world):
    rows = [institution(1, region_code="1"), institution(2), institution(3, region_code="2")]
    errors = refused(institutions_import, institution_sheet.write(rows))
    assert [(e.row, e.column) for e in errors] == [(2, "E"), (4, "E")]


def test_import_refuses_a_malformed_file_without_writing(world):
    (error,) = refused(institutions_import, b"not a workbook")
    assert "xlsx" in error.reason


def test_import_respects_the_configured_row_cap(world, settings):
    settings.ACCREDITATION = {**settings.ACCREDITATION, "IMPORT_MAX_ROWS": 2}
    data = institution_sheet.write([institution(n) for n in range(1, 4)])
    (error,) = refused(institutions_import, data)
    assert "More than 2 data rows" in error.reason


def test_import_refuses_a_file_over_the_configured_size(world, settings):
    settings.ACCREDITATION = {**settings.ACCREDITATION, "IMPORT_MAX_BYTES": 1000}
    (error,) = refused(institutions_import, institution_sheet.write([institution(1)]))
    assert "larger than 1000 bytes" in error.reason


@pytest.mark.parametrize("who", ["officer_province", "staff_a", "expert"])
def test_only_administrators_import(world, who):
    data = institution_sheet.write([institution(1)])
    with pytest.raises(PermissionDenied):
        institutions_import(actor=getattr(world, who), source=data)
    with pytest.raises(PermissionDenied):
        experts_import(actor=getattr(world, who), source=expert_sheet.write([expert(1)]))
    assert not Institution.objects.filter(licence_number="IMP000001").exists()


# ----------------------------------------------------------------------------- experts


def licence(institution) -> str:
    return institution.licence_number


def test_expert_import_creates_experts_without_usable_passwords(world):
    rows = [
        expert(1, employer_licence=licence(world.institution_a)),
        expert(2, declared_conflicts=(licence(world.institution_a), licence(world.institution_b))),
    ]
    result = experts_import(actor=world.administrator, source=expert_sheet.write(rows))

    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    one = User.objects.get(username="expert1")
    assert (one.role, one.first_name, one.email, one.has_usable_password()) == (
        "expert",
        "专家1",
        "e1@example.cn",
        False,
    )
    assert one.expert_profile.employer == world.institution_a
    assert one.expert_profile.home_region == world.county_b
    two = User.objects.get(username="expert2").expert_profile
    assert set(two.declared_conflicts.all()) == {world.institution_a, world.institution_b}


def test_expert_reimport_changes_nothing_and_updates_what_differs(world):
    rows = [expert(1), expert(2, declared_conflicts=(licence(world.institution_a),))]
    experts_import(actor=None, source=expert_sheet.write(rows))
    before = counts()
    result = experts_import(actor=None, source=expert_sheet.write(rows))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert counts() == before

    rows[1] = expert(2, declared_conflicts=(), specialty="全科")
    result = experts_import(actor=None, source=expert_sheet.write(rows))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    profile = User.objects.get(username="expert2").expert_profile
    assert (profile.specialty, profile.declared_conflicts.count()) == ("全科", 0)


def test_expert_import_completes_the_profile_of_an_existing_expert(world):
    result = experts_import(actor=None, source=expert_sheet.write([expert(9, username="expert")]))
    assert (result.created, result.updated) == (0, 1)
    assert world.expert.expert_profile.home_region == world.county_b


@pytest.mark.parametrize(
    ("row", "header", "reason"),
    [
        (expert(2, home_region_code="123456"), "常住地行政区划代码", "No region"),
        (expert(2, employer_licence="NOPE"), "工作单位执业许可证登记号", "NOPE"),
        (expert(2, declared_conflicts=("X1", "X2")), "申报回避机构", "X1, X2"),
        (expert(2, username="staff_a"), "用户名", "not an expert"),
        (expert(2, username="bad/name!"), "用户名", "valid username"),
        (expert(2, username="EXPERT1"), "用户名", "repeats row 2"),
        (expert(2, email="nope"), "电子邮箱", "e-mail"),
        (expert(2, full_name=""), "姓名", "Required"),
    ],
    ids=[
        "unknown-region",
        "unknown-employer",
        "unknown-conflicts",
        "not-an-expert",
        "bad-username",
        "repeated-username",
        "bad-email",
        "no-name",
    ],
)
def test_each_kind_of_bad_expert_row_writes_nothing(world, row, header, reason):
    data = expert_sheet.write([expert(1), row])
    (error,) = refused(experts_import, data)
    assert (error.sheet, error.row, error.header) == ("专家库", 3, header)
    assert reason in error.reason
