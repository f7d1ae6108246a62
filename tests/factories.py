"""factory_boy factories for the catalogue and the accreditation domain, and a small
catalogue builder with items of every shape the services care about."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from accreditation.models import (
    Cycle,
    CycleStandard,
    ExpertAssignment,
    Institution,
    InstitutionFacts,
    Region,
    User,
)
from accreditation.models.institutions import CATEGORY_CODE
from standards.models import Chapter, Criterion, Edition, Item, RuleSet, Section


class ProvinceFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{91 + n % 8}0000")
    name = factory.LazyAttribute(lambda o: f"省{o.code}")
    level = Region.Level.PROVINCE
    parent = None


class CityFactory(ProvinceFactory):
    parent = factory.SubFactory(ProvinceFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.code[:2]}{n % 99 + 1:02d}00")
    name = factory.LazyAttribute(lambda o: f"市{o.code}")
    level = Region.Level.CITY


class CountyFactory(ProvinceFactory):
    parent = factory.SubFactory(CityFactory)
    code = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.code[:4]}{n % 99 + 1:02d}")
    name = factory.LazyAttribute(lambda o: f"县{o.code}")
    level = Region.Level.COUNTY


class InstitutionFactory(DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"第{n}卫生院")
    kind = Institution.Kind.THC
    licence_number = factory.Sequence(lambda n: f"PDY{n:08d}")
    category_code = factory.LazyAttribute(lambda o: CATEGORY_CODE[o.kind])
    region = factory.SubFactory(CountyFactory)


class FactsFactory(DjangoModelFactory):
    class Meta:
        model = InstitutionFacts

    institution = factory.SubFactory(InstitutionFactory)
    effective_from = dt.date(2020, 1, 1)
    medical_staff = 40
    service_population = 30000
    beds = 20
    inpatient_ward = True


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("a-long-test-password")
    role = ""


class StaffFactory(UserFactory):
    role = User.Role.INSTITUTION_STAFF
    institution = factory.SubFactory(InstitutionFactory)


class CountyReviewerFactory(UserFactory):
    role = User.Role.COUNTY_REVIEWER
    region = factory.SubFactory(CountyFactory)


class OfficerFactory(UserFactory):
    role = User.Role.OFFICER
    region = None


class ExpertFactory(UserFactory):
    role = User.Role.EXPERT


class AdministratorFactory(UserFactory):
    role = User.Role.ADMINISTRATOR


class EditionFactory(DjangoModelFactory):
    class Meta:
        model = Edition

    code = factory.Sequence(lambda n: f"TST-{n}")
    kind = "thc"
    year = 2022
    title = factory.LazyAttribute(lambda o: f"Test edition {o.code}")
    status = "published"


class RuleSetFactory(DjangoModelFactory):
    class Meta:
        model = RuleSet

    edition = factory.SubFactory(EditionFactory)
    level = "basic"
    version = 1
    status = "published"
    min_basic_c = Decimal("0.8")
    min_basic_b = Decimal("0.5")
    min_basic_a = Decimal("0.1")


class ExpertAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = ExpertAssignment

    role = ExpertAssignment.Role.MEMBER


#: (code, chapter, tier, evidence_required, applicability, metric_code)
ITEMS = (
    ("1.1.1", "1", "basic", True, None, ""),
    ("1.1.2", "1", "basic", False, None, ""),
    ("1.1.3", "1", "basic", True, {"fact": "beds", "op": ">", "value": 0}, ""),
    ("1.1.4", "1", "basic", False, None, "beds"),
    ("2.1.1", "2", "basic", True, None, ""),
    ("2.1.2", "2", "recommended", False, None, ""),
)


def make_edition(
    *, kind: str = "thc", code: str | None = None, items=ITEMS, status: str = "published"
) -> Edition:
    """An edition (published unless ``status`` says otherwise) with two chapters and the
    items in ``items``."""
    edition = EditionFactory(kind=kind, status=status, **({"code": code} if code else {}))
    sections: dict[str, Section] = {}
    for position, (item_code, chapter_code, tier, evidence, applicability, metric) in enumerate(
        items
    ):
        if chapter_code not in sections:
            chapter = Chapter.objects.create(
                edition=edition,
                code=chapter_code,
                title=f"第{chapter_code}章",
                position=int(chapter_code),
            )
            sections[chapter_code] = Section.objects.create(
                chapter=chapter, code=f"{chapter_code}.1", title="节", position=1
            )
        item = Item.objects.create(
            edition=edition,
            section=sections[chapter_code],
            code=item_code,
            title=f"条款 {item_code}",
            position=position,
            tier=tier,
            starred=tier == "recommended",
            kind="quantitative" if metric else "documentary",
            applicability=applicability,
            evidence_required=evidence,
            metric_code=metric,
            metric_label="床位" if metric else "",
        )
        for grade in "CBA":
            Criterion.objects.create(item=item, grade=grade, text=f"{grade}级要求")
    return edition


def make_rule_sets(edition: Edition, *, province_code: str = "") -> dict[str, RuleSet]:
    """合格 (small units only), 基本 and 推荐 (including 基本) for ``edition``."""
    common = {"edition": edition, "province_code": province_code}
    return {
        "qualified": RuleSetFactory(
            level="qualified",
            min_basic_c=Decimal("0.8"),
            min_basic_b=Decimal("0.2"),
            min_basic_a=Decimal("0.05"),
            eligibility=[
                {"fact": "medical_staff", "op": "<", "value": 10},
                {"fact": "service_population", "op": "<", "value": 10000},
            ],
            **common,
        ),
        "basic": RuleSetFactory(level="basic", **common),
        "recommended": RuleSetFactory(
            level="recommended",
            min_basic_c=Decimal("0.9"),
            min_basic_b=Decimal("0.6"),
            min_basic_a=Decimal("0.2"),
            min_recommended_c=Decimal("0.5"),
            includes=["basic"],
            **common,
        ),
    }


def make_cycle(
    *, province: Region, editions: dict[str, Edition] | None = None, year: int = 2026
) -> Cycle:
    """An open cycle applying each given edition (by standard kind) with all three
    levels' rule sets."""
    cycle = Cycle.objects.create(province=province, year=year, name=f"{year} cycle")
    for kind, edition in (editions or {"thc": make_edition()}).items():
        rule_sets = make_rule_sets(edition)
        CycleStandard.objects.create(
            cycle=cycle,
            kind=kind,
            edition=edition,
            qualified_rule_set=rule_sets["qualified"],
            basic_rule_set=rule_sets["basic"],
            recommended_rule_set=rule_sets["recommended"],
        )
    return cycle
