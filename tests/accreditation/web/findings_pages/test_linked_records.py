"""Findings raised from the record they come from: an upheld objection and a
re-scored consistency sample link to the raise form with the record named."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accreditation.models import Finding, Objection
from accreditation.services.consistency import consistency_rescore_record
from accreditation.services.notices import objection_resolve
from tests.accreditation.web.findings_pages.helpers import Status, counts
from tests.accreditation.web.officer_setup import checked, on_notice, with_objection
from tests.workflows.helpers import CODES

pytestmark = pytest.mark.django_db


@pytest.fixture
def upheld(world, experts) -> Objection:
    """An objection to institution A on the notice, upheld."""
    objection = with_objection(world, on_notice(world, experts))
    objection_resolve(
        actor=world.officer_province, objection=objection, upheld=True, reason="核实属实"
    )
    return objection


def test_an_upheld_objection_links_to_a_finding_raised_from_it(client, world, upheld):
    objection = upheld
    client.force_login(world.officer_province)
    page = client.get(reverse("web:officer_notice", args=[objection.notice_id])).content.decode()
    url = reverse("web:assessment_findings", args=[world.assessment_a.pk])
    assert f"{url}?objection={objection.pk}#raise" in page
    with CaptureQueriesContext(connection) as plain:
        client.get(url)
    with CaptureQueriesContext(connection) as linked:
        form = client.get(url, {"objection": objection.pk})
    assert form.status_code == 200
    assert len(linked) == len(plain) + 1  # the objection, read with its entry
    text = form.content.decode()
    assert 'id="raise-link"' in text and "服务记录不实" in text and "（成立）" in text
    assert f'name="objection" value="{objection.pk}"' in text
    response = client.post(
        url,
        {
            "step": "raise",
            "source": "objection",
            "objection": objection.pk,
            "item_code": "1.1.1",
            "description": "服务记录与实际不符，需整改记录管理。",
        },
    )
    assert response.status_code == 302
    finding = Finding.objects.get(source="objection")
    assert (finding.objection_id, finding.item_code, finding.status) == (
        objection.pk,
        "1.1.1",
        Status.OPEN,
    )


def test_a_record_of_another_assessment_is_404_on_the_form_and_refused_on_post(
    client, world, upheld
):
    objection = upheld
    client.force_login(world.officer_province)
    other = reverse("web:assessment_findings", args=[world.assessment_b.pk])
    assert client.get(other, {"objection": objection.pk}).status_code == 404
    assert client.get(other, {"objection": "x"}).status_code == 404
    before = counts()
    response = client.post(
        other,
        {"step": "raise", "source": "objection", "objection": objection.pk, "description": "x"},
    )
    assert response.status_code == 400
    assert 'data-error="objection"' in response.content.decode()
    assert counts() == before


def test_a_rescored_sample_links_to_a_finding_raised_from_it(client, world, experts):
    check = checked(world, experts)
    (sample,) = check.samples.all()
    consistency_rescore_record(
        actor=world.officer_province,
        check=check,
        recognition=sample.recognition,
        grades=dict.fromkeys(CODES, "C"),
    )
    client.force_login(world.officer_province)
    page = client.get(reverse("web:officer_check", args=[check.pk])).content.decode()
    url = reverse("web:assessment_findings", args=[world.assessment_a.pk])
    assert f"{url}?consistency_sample={sample.pk}#raise" in page
    form = client.get(url, {"consistency_sample": sample.pk}).content.decode()
    assert 'data-link="consistency_sample"' in form
    response = client.post(
        url,
        {
            "step": "raise",
            "source": "consistency",
            "consistency_sample": sample.pk,
            "description": "抽查复核等级低于认定等级。",
        },
    )
    assert response.status_code == 302
    finding = Finding.objects.get(source="consistency")
    assert finding.consistency_sample_id == sample.pk
