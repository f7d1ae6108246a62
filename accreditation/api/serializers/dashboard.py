from __future__ import annotations

from rest_framework import serializers

from accreditation.api.serializers.common import RegionRefSerializer
from accreditation.core.api import IdField


class RegionFiguresSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    institutions = serializers.IntegerField()
    assessments = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())
    by_target_level = serializers.DictField(child=serializers.IntegerField())
    findings = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Rectification findings: open (unresolved), overdue, closed.",
    )


class DashboardSerializer(serializers.Serializer):
    region = RegionRefSerializer()
    cycle = serializers.IntegerField(allow_null=True)
    totals = RegionFiguresSerializer()
    children = RegionFiguresSerializer(many=True)
    direct = RegionFiguresSerializer(
        allow_null=True, help_text="Institutions registered at the region itself."
    )


class DashboardQuerySerializer(serializers.Serializer):
    cycle = IdField(required=False, help_text="Only this cycle's assessments.")
