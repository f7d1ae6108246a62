"""Every write to the catalogue. Each service is keyword-only, one transaction, checks
the status transition (``standards.models.PUBLICATION_TRANSITIONS``) and records an
audit row; refusals raise ``django.core.exceptions.ValidationError``."""

from standards.services.common import ImportResult
from standards.services.editions import (
    edition_clone,
    edition_import,
    edition_problems,
    edition_publish,
    edition_retire,
)
from standards.services.files import catalogue_file_import, catalogue_files
from standards.services.rulesets import ruleset_import, ruleset_publish, ruleset_retire

__all__ = [
    "ImportResult",
    "catalogue_file_import",
    "catalogue_files",
    "edition_clone",
    "edition_import",
    "edition_problems",
    "edition_publish",
    "edition_retire",
    "ruleset_import",
    "ruleset_publish",
    "ruleset_retire",
]
