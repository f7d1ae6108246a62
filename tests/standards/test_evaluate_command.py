import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    call_command("load_catalogue", stdout=StringIO())


def run_evaluate(tmp_path, payload, *args):
    path = tmp_path / "grades.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    out = StringIO()
    call_command("evaluate", str(path), "--edition", "THC-2022", *args, stdout=out)
    return json.loads(out.getvalue())


def all_items(grade):
    from standards.models import Item

    return {
        code: grade
        for code in Item.objects.filter(edition__code="THC-2022").values_list("code", flat=True)
    }


def test_evaluate_prints_level_shares_reasons_and_gap_plan(catalogue, tmp_path):
    grades = all_items("C")
    result = run_evaluate(
        tmp_path,
        {"facts": {"medical_staff": 8, "service_population": 8000, "beds": 0}, "grades": grades},
    )

    assert result["level"] is None
    assert result["shares"]["overall"]["basic"]["share_C_or_better"] == 1.0
    assert result["reasons"][0].startswith("qualified: B-or-better 0.0% < 20.0% required")
    plan = result["gap_plan"]
    assert plan["target"] == "qualified"
    assert plan["reachable"] is True
    # Without beds, the inpatient items are not applicable; 20% of the rest must reach B
    # and 5% A: the cheapest plan lifts the A share's items two steps and the rest one.
    applicable = result["shares"]["overall"]["basic"]["applicable"]
    assert plan["items"] == -(-applicable * 20 // 100)
    assert {u["from"] for u in plan["upgrades"]} == {"C"}
    assert sorted(u["to"] for u in plan["upgrades"]).count("A") == -(-applicable * 5 // 100)


def test_all_a_reaches_recommended_and_leaves_nothing_to_plan(catalogue, tmp_path):
    grades = all_items("A")
    result = run_evaluate(
        tmp_path,
        {"facts": {"medical_staff": 8, "service_population": 8000, "beds": 0}, "grades": grades},
    )

    assert result["level"] == "recommended"
    assert result["gap_plan"] == {
        "target": None,
        "reachable": True,
        "upgrades": [],
        "items": 0,
        "steps": 0,
        "reason": "",
    }
    assert result["rule_sets"]["basic"]["provisional"] is True
    assert result["rule_sets"]["qualified"]["provisional"] is False


def test_missing_items_count_as_none(catalogue, tmp_path):
    result = run_evaluate(tmp_path, {"facts": {}, "grades": {"1.1.1": "B"}})

    basic = result["shares"]["overall"]["basic"]
    assert (basic["C_or_better"], basic["B_or_better"], basic["none"]) == (1, 1, 87)


def test_unknown_codes_grades_and_facts_are_all_listed(catalogue, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps({"facts": {"beds": -1, "staff": 3}, "grades": {"9.9.9": "B", "1.1.1": "X"}}),
        encoding="utf-8",
    )

    with pytest.raises(CommandError) as excinfo:
        call_command("evaluate", str(path), "--edition", "THC-2022", stdout=StringIO())

    lines = str(excinfo.value).splitlines()
    assert lines == [
        f"{path}: grades: unknown item code '9.9.9'",
        f"{path}: grades['1.1.1']: unknown grade 'X' (expected one of none, C, B, A, NA)",
        f"{path}: facts: unknown fact 'staff'",
        f"{path}: facts.beds: expected a whole number >= 0, got -1",
    ]


def test_unknown_edition_and_unreadable_file_fail(catalogue, tmp_path):
    with pytest.raises(CommandError, match="unknown edition 'XYZ'"):
        call_command("evaluate", str(tmp_path / "x.json"), "--edition", "XYZ")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="cannot read JSON"):
        call_command("evaluate", str(broken), "--edition", "THC-2022")
