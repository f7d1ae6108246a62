from __future__ import annotations

from rest_framework import serializers

from accreditation.core.api import IdField
from accreditation.models import AuditEvent, Institution, Region, User


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    user = serializers.IntegerField(help_text="The user's id.")


class UserSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="first_name", read_only=True)
    region = serializers.SlugRelatedField[Region](slug_field="code", read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "email",
            "role",
            "institution",
            "region",
            "is_active",
            "last_login",
            "date_joined",
        ]
        read_only_fields = fields


class UserCreateSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, write_only=True, trim_whitespace=False)
    role = serializers.ChoiceField(choices=User.Role.choices)
    institution = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.all(),
        pk_field=IdField(),
        required=False,
        allow_null=True,
        default=None,
    )
    region = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        required=False,
        allow_null=True,
        default=None,
    )
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField[User](slug_field="username", read_only=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "created_at",
            "actor",
            "action",
            "target_type",
            "target_id",
            "target_label",
            "assessment",
            "before",
            "after",
            "note",
        ]
        read_only_fields = fields
