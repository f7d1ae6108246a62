from django_filters import rest_framework as filters

from accreditation.core.api import FilterSet
from standards.models import Edition, Item, RuleSet


class EditionFilter(FilterSet):
    class Meta:
        model = Edition
        fields = ["kind", "status", "year", "provisional"]


class ItemFilter(FilterSet):
    chapter = filters.CharFilter(field_name="section__chapter__code")
    section = filters.CharFilter(field_name="section__code")
    code = filters.CharFilter()
    title = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Item
        fields = ["chapter", "section", "code", "title", "tier", "starred", "kind"]
        fields += ["evidence_required"]


class RuleSetFilter(FilterSet):
    edition = filters.CharFilter(field_name="edition__code")

    class Meta:
        model = RuleSet
        fields = ["edition", "level", "province_code", "status", "provisional"]
