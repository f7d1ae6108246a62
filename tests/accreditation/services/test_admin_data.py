import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accreditation.core.errors import InvalidTransition, NotEditable
from accreditation.models import AuditEvent, Cycle, Institution, InstitutionFacts, Region, User
from accreditation.services.cycles import (
    cycle_close,
    cycle_create,
    cycle_deadline_set,
    cycle_standard_set,
)
from accreditation.services.institutions import (
    institution_create,
    institution_details_set,
    institution_facts_record,
)
from accreditation.services.people import user_create
from accreditation.services.regions import region_create
from tests.factories import RuleSetFactory, make_edition, make_rule_sets


def test_region_create_builds_the_path(world):
    township = region_create(
        actor=world.administrator,
        code="990102001",
        name="河口镇",
        level="township",
        parent=world.county_a,
    )
    assert township.path == "990000/990100/990102/990102001/"
    assert world.city.contains(township)
    assert not world.other_city.contains(township)
    event = AuditEvent.objects.get(action="region.create")
    assert (event.actor, event.after["path"]) == (world.administrator, township.path)


@pytest.mark.parametrize(
    ("values", "fields"),
    [
        ({"code": "990103", "level": "county", "parent": None}, ["parent"]),
        ({"code": "990102", "level": "county", "parent": "city"}, ["code"]),
        ({"code": "99A103", "level": "county", "parent": "city"}, ["code"]),
        ({"code": "990103", "level": "city", "parent": "city"}, ["parent"]),
    ],
)
def test_region_create_validates(world, values, fields):
    parent = world.city if values.pop("parent") == "city" else None
    with pytest.raises(ValidationError) as excinfo:
        region_create(actor=None, name="x", parent=parent, **values)
    assert sorted(excinfo.value.message_dict) == fields


def test_region_create_is_for_administrators(world):
    with pytest.raises(PermissionDenied):
        region_create(
            actor=world.officer_national, code="990103", name="x", level="county", parent=world.city
        )
    assert not Region.objects.filter(code="990103").exists()


def test_institution_create_sets_the_category_from_the_kind(world):
    chc = institution_create(
        actor=world.administrator,
        name="河口街道社区卫生服务中心",
        kind="chc",
        licence_number="PDY-1",
        region=world.county_a,
    )
    central = institution_create(
        actor=None,
        name="中心卫生院",
        kind="central_thc",
        licence_number="PDY-2",
        region=world.county_a,
    )
    assert (chc.category_code, chc.standard_kind) == ("B", "chc")
    assert (central.category_code, central.standard_kind) == ("C", "thc")


def test_institution_create_refuses_a_city_region_and_duplicate_licence(world):
    with pytest.raises(ValidationError) as excinfo:
        institution_create(
            actor=None,
            name="x",
            kind="thc",
            licence_number=world.institution_a.licence_number,
            region=world.city,
        )
    assert sorted(excinfo.value.message_dict) == ["licence_number", "region"]


def test_institution_texts_too_long_or_unstorable_are_refused_by_field(world):
    count = Institution.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        institution_create(
            actor=None,
            name="卫生院\x00",
            kind="thc",
            licence_number="PDY-LONG-1",
            region=world.county_a,
            contact_name="张" * 61,
        )
    errors = excinfo.value.message_dict
    assert sorted(errors) == ["contact_name", "name"]
    assert errors["contact_name"] == ["At most 60 characters (this has 61)."]
    assert Institution.objects.count() == count
    with pytest.raises(ValidationError) as excinfo:
        institution_details_set(
            actor=None, institution=world.institution_a, name="x", contact_phone="1" * 100
        )
    assert sorted(excinfo.value.message_dict) == ["contact_phone"]
    world.institution_a.refresh_from_db()
    assert world.institution_a.name != "x"


def test_region_and_user_texts_too_long_are_refused_by_field(world):
    with pytest.raises(ValidationError) as excinfo:
        region_create(actor=None, code="990199", name="县" * 500, level="county", parent=world.city)
    assert sorted(excinfo.value.message_dict) == ["name"]
    with pytest.raises(ValidationError) as excinfo:
        user_create(
            actor=None,
            username="u" * 200,
            password=None,
            role="expert",
            full_name="名" * 200,
            email="a@" + "b" * 300 + ".cn",
        )
    assert sorted(excinfo.value.message_dict) == ["email", "full_name", "username"]
    assert not Region.objects.filter(code="990199").exists()
    assert not User.objects.filter(username="u" * 200).exists()


def test_facts_record_by_own_staff_replaces_same_day_with_audit(world):
    day = dt.date(2026, 1, 1)
    institution_facts_record(
        actor=world.staff_a,
        institution=world.institution_a,
        effective_from=day,
        medical_staff=8,
        service_population=9000,
        beds=0,
        inpatient_ward=False,
    )
    institution_facts_record(
        actor=world.staff_a,
        institution=world.institution_a,
        effective_from=day,
        medical_staff=9,
        service_population=9000,
        beds=0,
        inpatient_ward=False,
    )
    row = InstitutionFacts.objects.get(institution=world.institution_a, effective_from=day)
    assert (row.medical_staff, row.recorded_by) == (9, world.staff_a)
    last = AuditEvent.objects.filter(action="facts.record").first()
    assert (last.before["medical_staff"], last.after["medical_staff"]) == (8, 9)


def test_facts_record_refused_to_other_institutions_and_for_bad_values(world):
    values = {
        "institution": world.institution_a,
        "effective_from": dt.date(2026, 1, 1),
        "medical_staff": 8,
        "service_population": 9000,
        "beds": 0,
        "inpatient_ward": True,
    }
    with pytest.raises(PermissionDenied):
        institution_facts_record(actor=world.staff_b, **values)
    with pytest.raises(ValidationError) as excinfo:
        institution_facts_record(actor=world.staff_a, **values | {"medical_staff": -1})
    assert sorted(excinfo.value.message_dict) == ["medical_staff"]
    with pytest.raises(ValidationError) as excinfo:
        institution_facts_record(actor=world.staff_a, **values)
    assert sorted(excinfo.value.message_dict) == ["beds"]
    assert world.institution_a.facts_snapshots.count() == 1


@pytest.mark.parametrize(
    ("role", "scope", "field"),
    [
        ("institution_staff", None, "institution"),
        ("county_reviewer", "city", "region"),
        ("officer", "county", "region"),
        ("expert", "county", "region"),
        ("wizard", None, "role"),
    ],
)
def test_user_create_requires_the_scope_of_the_role(world, role, scope, field):
    region = {"city": world.city, "county": world.county_a, None: None}[scope]
    with pytest.raises(ValidationError) as excinfo:
        user_create(
            actor=world.administrator,
            username="new",
            password="a-long-demo-password-1",
            role=role,
            region=region,
        )
    assert list(excinfo.value.message_dict) == [field]
    assert not User.objects.filter(username="new").exists()


def test_user_create_refuses_weak_passwords_and_non_administrators(world):
    with pytest.raises(ValidationError) as excinfo:
        user_create(actor=None, username="new", password="123", role="administrator")
    assert list(excinfo.value.message_dict) == ["password"]
    with pytest.raises(PermissionDenied):
        user_create(
            actor=world.officer_national,
            username="new",
            password="a-long-demo-password-1",
            role="administrator",
        )
    assert not User.objects.filter(username="new").exists()


def test_user_create_hashes_the_password_and_audits(world):
    user = user_create(
        actor=world.administrator,
        username="reviewer_new",
        password="a-long-demo-password-1",
        role="county_reviewer",
        region=world.county_b,
    )
    assert user.check_password("a-long-demo-password-1")
    event = AuditEvent.objects.get(action="user.create")
    assert event.after == {
        "username": "reviewer_new",
        "role": "county_reviewer",
        "institution": None,
        "region": "990202",
    }


def test_cycle_create_validates(world):
    with pytest.raises(ValidationError) as excinfo:
        cycle_create(actor=None, province=world.province, year=2026, name="x", notice_days=4)
    assert sorted(excinfo.value.message_dict) == ["notice_days", "year"]
    with pytest.raises(ValidationError) as excinfo:
        cycle_create(actor=None, province=world.city, year=2027, name="x")
    assert sorted(excinfo.value.message_dict) == ["province"]
    with pytest.raises(PermissionDenied):
        cycle_create(actor=world.officer_city, province=world.province, year=2027, name="x")


def test_cycle_standard_set_checks_edition_and_rule_sets(world):
    cycle = cycle_create(actor=world.officer_province, province=world.province, year=2027, name="x")
    edition = make_edition(code="THC-X")
    rule_sets = make_rule_sets(edition)
    other = RuleSetFactory(level="basic")
    with pytest.raises(ValidationError) as excinfo:
        cycle_standard_set(
            actor=None,
            cycle=cycle,
            edition=edition,
            rule_sets={"basic": other, "recommended": rule_sets["recommended"]},
        )
    assert sorted(excinfo.value.message_dict) == ["rule_sets.basic"]
    with pytest.raises(ValidationError) as excinfo:
        cycle_standard_set(
            actor=None,
            cycle=cycle,
            edition=edition,
            rule_sets={"recommended": rule_sets["recommended"]},
        )
    assert sorted(excinfo.value.message_dict) == ["rule_sets.recommended"]
    standard = cycle_standard_set(actor=None, cycle=cycle, edition=edition, rule_sets=rule_sets)
    assert standard.rule_sets() == rule_sets
    assert AuditEvent.objects.filter(action="cycle_standard.set").count() == 1


def test_cycle_standard_cannot_change_once_assessments_are_open(world):
    edition = make_edition(code="THC-Y")
    with pytest.raises(NotEditable):
        cycle_standard_set(
            actor=None, cycle=world.cycle, edition=edition, rule_sets=make_rule_sets(edition)
        )
    assert world.cycle.standards.get().edition.code == "THC-T"


def test_cycle_deadline_and_close(world):
    cycle_deadline_set(
        actor=world.administrator,
        cycle=world.cycle,
        stage="self_assessment",
        due_on=dt.date(2026, 6, 30),
    )
    cycle_deadline_set(
        actor=world.administrator,
        cycle=world.cycle,
        stage="self_assessment",
        due_on=dt.date(2026, 7, 15),
    )
    assert list(world.cycle.deadlines.values_list("stage", "due_on")) == [
        ("self_assessment", dt.date(2026, 7, 15))
    ]
    closed = cycle_close(actor=world.officer_province, cycle=world.cycle)
    assert closed.status == Cycle.Status.CLOSED
    with pytest.raises(InvalidTransition):
        cycle_close(actor=world.officer_province, cycle=world.cycle)


def test_every_admin_data_change_is_audited_with_its_actor(world):
    from accreditation.services.people import expert_profile_set

    start = AuditEvent.objects.count()
    actor = world.administrator
    county = region_create(
        actor=actor, code="990103", name="新区", level="county", parent=world.city
    )
    institution = institution_create(
        actor=actor, name="新区卫生院", kind="thc", licence_number="PDY-N", region=county
    )
    expert_profile_set(actor=actor, expert=world.expert, home_region=county)
    cycle = cycle_create(actor=actor, province=world.province, year=2030, name="2030")
    cycle_deadline_set(actor=actor, cycle=cycle, stage="county_review", due_on=dt.date(2030, 5, 1))
    cycle_close(actor=actor, cycle=cycle)
    events = list(AuditEvent.objects.order_by("id")[start:])
    assert [(e.action, e.actor_id, e.target_type) for e in events] == [
        ("region.create", actor.pk, "accreditation.region"),
        ("institution.create", actor.pk, "accreditation.institution"),
        ("expert_profile.set", actor.pk, "accreditation.user"),
        ("cycle.create", actor.pk, "accreditation.cycle"),
        ("cycle_deadline.set", actor.pk, "accreditation.cycle"),
        ("cycle.close", actor.pk, "accreditation.cycle"),
    ]
    assert events[1].target_id == str(institution.pk)
