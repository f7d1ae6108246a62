"""Catalogue files (docs/catalogue-format.md) read and validated into plain dataclasses.

``read_file(path)`` returns an :class:`EditionData` or a :class:`RuleSetFileData`, or
raises :class:`CatalogueFileError` listing every problem with its file, location, field
and reason. Nothing here touches the database; ``standards.services`` writes.
"""

from standards.importers.documents import (
    EDITION,
    RULESET,
    Document,
    document_from_text,
    load_document,
    parse_document,
    read_file,
)
from standards.importers.errors import CatalogueFileError
from standards.importers.types import (
    EDITION_FORMAT,
    RULESET_FORMAT,
    ChapterData,
    ConditionData,
    CriterionData,
    EditionData,
    ItemData,
    MetricData,
    MustPassData,
    RuleSetData,
    RuleSetFileData,
    SectionData,
    StepData,
    ThresholdData,
)

__all__ = [
    "EDITION",
    "EDITION_FORMAT",
    "RULESET",
    "RULESET_FORMAT",
    "CatalogueFileError",
    "ChapterData",
    "ConditionData",
    "CriterionData",
    "Document",
    "EditionData",
    "ItemData",
    "MetricData",
    "MustPassData",
    "RuleSetData",
    "RuleSetFileData",
    "SectionData",
    "StepData",
    "ThresholdData",
    "document_from_text",
    "load_document",
    "parse_document",
    "read_file",
]
