from __future__ import annotations

from rest_framework import serializers


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable machine-readable code.")
    message = serializers.CharField(help_text="Human-readable, translated.")
    # A declared field named "fields" is taken out of the class by DRF's metaclass, so it
    # does not shadow ``Serializer.fields``.
    fields = serializers.DictField(  # type: ignore[assignment]  # the stubs cannot tell
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per field; nested fields joined with dots.",
    )
    details = serializers.DictField(help_text="Data to recover: current, problems, reason, wait.")


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


class RegionRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
