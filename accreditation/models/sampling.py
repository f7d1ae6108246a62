from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordList(models.Model):
    """The frozen list of records (病历清单) an item's record sampling draws from, as the
    institution uploaded it: never changed once stored; a corrected list is a new
    ``version``. ``records`` is sorted by record number; ``sha256`` is the hash of its
    canonical JSON, so anyone can check the list a draw used."""

    assessment = models.ForeignKey(
        "accreditation.Assessment", on_delete=models.CASCADE, related_name="record_lists"
    )
    item_code = models.CharField(_("item code"), max_length=20)
    version = models.PositiveIntegerField(_("version"))
    records = models.JSONField(_("records"))
    sha256 = models.CharField(_("SHA-256 of the list"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("frozen at"), auto_now_add=True)

    class Meta:
        ordering = ["assessment", "item_code", "-version"]
        verbose_name = _("record list")
        verbose_name_plural = _("record lists")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "item_code", "version"], name="record_list_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_code} v{self.version} ({len(self.records)})"


class RecordSample(models.Model):
    """One expert's reproducible draw from a record list: ``size`` records chosen from
    ``seed`` and the list's hash by the algorithm of ``services.sampling.draw``
    (``algorithm`` names it), in the order drawn, each then marked passed or failed."""

    record_list = models.ForeignKey(RecordList, on_delete=models.PROTECT, related_name="samples")
    assessment = models.ForeignKey(
        "accreditation.Assessment", on_delete=models.CASCADE, related_name="record_samples"
    )
    item_code = models.CharField(_("item code"), max_length=20)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    size = models.PositiveIntegerField(_("sample size"))
    seed = models.CharField(_("seed"), max_length=64)
    algorithm = models.CharField(_("algorithm"), max_length=40)
    drawn = models.JSONField(_("records drawn"))
    created_at = models.DateTimeField(_("drawn at"), auto_now_add=True)

    class Meta:
        ordering = ["assessment", "item_code", "id"]
        verbose_name = _("record sample")
        verbose_name_plural = _("record samples")
        constraints = [
            models.UniqueConstraint(
                fields=["record_list", "drawn_by"], name="one_sample_per_expert_and_list"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_code}: {self.size} of {self.record_list_id}"


class SampledRecord(models.Model):
    """One drawn record and what the expert found in it."""

    class Outcome(models.TextChoices):
        PENDING = "", _("Not checked yet")
        PASS = "pass", _("Passed")
        FAIL = "fail", _("Failed")

    sample = models.ForeignKey(RecordSample, on_delete=models.CASCADE, related_name="results")
    position = models.PositiveIntegerField(_("position in the draw"))
    record_id = models.CharField(_("record number"), max_length=64)
    outcome = models.CharField(_("outcome"), max_length=4, choices=Outcome.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        ordering = ["sample", "position"]
        verbose_name = _("sampled record")
        verbose_name_plural = _("sampled records")
        constraints = [
            models.UniqueConstraint(fields=["sample", "record_id"], name="record_once_per_sample"),
        ]

    def __str__(self) -> str:
        return f"{self.record_id}: {self.outcome or '-'}"
