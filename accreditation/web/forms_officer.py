"""Forms of the commission officer's pages. They only parse input; services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accreditation.models import LookBackOutcome
from standards.models import Level


class NoticeOpenForm(forms.Form):
    starts_on = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    document_number = forms.CharField(label=_("Document number"), max_length=100)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)


class ObjectionForm(forms.Form):
    assessment = forms.IntegerField(label=_("Institution"), min_value=1)
    objector = forms.CharField(label=_("Objector"), max_length=200, required=False)
    content = forms.CharField(label=_("Objection"), max_length=4000, widget=forms.Textarea)
    received_on = forms.DateField(
        label=_("Received on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ObjectionResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("dismissed", _("Dismissed")), ("upheld", _("Upheld: back to review"))],
    )
    reason = forms.CharField(label=_("Reason"), max_length=4000)


class LookBackForm(forms.Form):
    """A look-back's outcome; with "rectify", the deadline and the shortcomings, one per
    line ("item code: what was found", or just what was found)."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=LookBackOutcome.choices)
    to_level = forms.ChoiceField(
        label=_("New level (downgrade)"), choices=[("", "–"), *Level.choices], required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=4000)
    findings = forms.CharField(
        label=_("Findings"), max_length=4000, required=False, widget=forms.Textarea
    )
    rectify_by = forms.DateField(
        label=_("Rectify by (rectification)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    shortcomings = forms.CharField(
        label=_("Shortcomings to rectify, one per line (“item code: what was found”)"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CheckRunForm(forms.Form):
    cycle = forms.IntegerField(label=_("Cycle"), min_value=1)
    region = forms.IntegerField(label=_("Region"), min_value=1)
    sample_share = forms.DecimalField(
        label=_("Sample share"), min_value=0, max_value=1, decimal_places=4, initial="0.1"
    )
    seed = forms.CharField(label=_("Sampling seed (optional)"), max_length=64, required=False)
