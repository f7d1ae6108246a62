import pytest
from django.urls import reverse

from accreditation.models import ConflictPolicy, Recognition
from tests.workflows.helpers import recognise_all

MODELS = (
    "conflictpolicy",
    "reviewround",
    "consolidation",
    "assessmentresult",
    "decision",
    "publicnotice",
    "objection",
    "recognition",
    "certificaterecord",
    "consistencycheck",
    "reduction",
    "lookback",
    "deadlinenotice",
)


@pytest.fixture
def admin_client_(client, world):
    user = world.administrator
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


def test_review_records_are_browsable_and_read_only(admin_client_, world, experts):
    recognise_all(
        world,
        experts,
        world.officer_province,
        world.province,
        [(world.assessment_a, world.staff_a, world.reviewer_a, "A")],
    )
    for model in MODELS:
        response = admin_client_.get(reverse(f"admin:accreditation_{model}_changelist"))
        assert response.status_code == 200, model
    recognition = Recognition.objects.get()
    url = reverse("admin:accreditation_recognition_change", args=[recognition.pk])
    assert admin_client_.post(url, {"status": "revoked"}).status_code == 403
    assert Recognition.objects.get().status == "active"


def test_administrators_set_a_provinces_conflict_rules(admin_client_, world):
    response = admin_client_.post(
        reverse("admin:accreditation_conflictpolicy_add"),
        {"province": world.province.pk, "same_institution": "on", "declared": "on"},
    )
    assert response.status_code == 302
    assert ConflictPolicy.objects.get().rules() == ("same_institution", "declared")
