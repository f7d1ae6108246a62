"""Forms of the web pages. They only parse and validate input; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accreditation.selectors.certificates import NUMBER_RE
from standards.models import Level


class TargetLevelForm(forms.Form):
    """The level an institution declares it aims for; the choices are those its cycle
    awards."""

    target_level = forms.ChoiceField(label=_("Target level"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, levels: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        labels = dict(Level.choices)
        field = self.fields["target_level"]
        assert isinstance(field, forms.ChoiceField)  # declared above
        field.choices = [(level, labels[level]) for level in levels]


class EvidenceUploadForm(forms.Form):
    item = forms.CharField(max_length=20)
    file = forms.FileField(label=_("File"), allow_empty_file=True)
    effective_on = forms.DateField(label=_("Effective on"), required=False)
    expires_on = forms.DateField(label=_("Expires on"), required=False)


class EvidenceReviseForm(forms.Form):
    file = forms.FileField(label=_("File"), allow_empty_file=True)
    effective_on = forms.DateField(label=_("Effective on"), required=False)
    expires_on = forms.DateField(label=_("Expires on"), required=False)


class EvidenceDatesForm(forms.Form):
    """Corrected dates of an attachment; a blank expiry means none."""

    effective_on = forms.DateField(label=_("Effective on"))
    expires_on = forms.DateField(label=_("Expires on"), required=False)


class EvidenceReuseForm(forms.Form):
    item = forms.CharField(max_length=20)
    source = forms.IntegerField(label=_("File"), min_value=1)


class VerifyForm(forms.Form):
    """A certificate number and, optionally, the verification code printed under the
    QR code."""

    number = forms.CharField(
        label=_("Certificate number"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    code = forms.CharField(
        label=_("Verification code (optional)"),
        required=False,
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip().upper()
        if not NUMBER_RE.match(number):
            raise forms.ValidationError(_("A certificate number has letters, digits and hyphens."))
        return number

    def clean_code(self) -> str:
        code = " ".join(self.cleaned_data["code"].split())
        if code and not all(ch.isalnum() or ch in " -" for ch in code):
            raise forms.ValidationError(_("A code has only letters and digits."))
        return code
