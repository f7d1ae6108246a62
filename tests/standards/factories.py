"""factory_boy factories for catalogue rows (and the users who act on them)."""

from __future__ import annotations

from decimal import Decimal

import factory

from accreditation.models import User
from standards.models import Chapter, Criterion, Edition, Item, RuleSet, Section


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = False


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    code = factory.Sequence(lambda n: f"ED-{n}")
    kind = "thc"
    year = 2022
    title = factory.Sequence(lambda n: f"标准 {n}")


class ChapterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chapter

    edition = factory.SubFactory(EditionFactory)
    code = "1"
    title = "第一章"
    position = 1


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    chapter = factory.SubFactory(ChapterFactory)
    code = factory.LazyAttribute(lambda s: f"{s.chapter.code}.1")
    title = "第一节"
    position = 1


class ItemFactory(factory.django.DjangoModelFactory):
    """An item with its C, B and A criteria."""

    class Meta:
        model = Item
        skip_postgeneration_save = True

    section = factory.SubFactory(SectionFactory)
    edition = factory.LazyAttribute(lambda i: i.section.chapter.edition)
    code = factory.LazyAttribute(lambda i: f"{i.section.code}.{i.position}")
    title = "条款"
    position = 1
    tier = "basic"

    @factory.post_generation
    def criteria(self, create, extracted, **kwargs):
        if create and extracted is not False:
            for grade in ("C", "B", "A"):
                Criterion.objects.create(item=self, grade=grade, text=f"{grade}级要求")


class RuleSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RuleSet

    edition = factory.SubFactory(EditionFactory)
    level = "basic"
    version = 1
    min_basic_c = Decimal("0.9")
    min_basic_b = Decimal("0.6")
    min_basic_a = Decimal("0.2")
