"""The Chinese catalogue is complete and its compiled form is committed and current."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
_ESCAPES = {"n": "\n", "t": "\t"}


def _unquote(parts: list[str]) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), "".join(parts))


def _entries() -> list[dict]:
    """Every entry but the header: msgid, msgid_plural, msgstr (the first form), fuzzy."""
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = []
    for block in text.strip().split("\n\n")[1:]:
        if block.startswith("#~"):
            continue
        parts: dict[str, list[str]] = {}
        key = None
        for line in block.splitlines():
            match = re.match(r"^(msgid_plural|msgid|msgstr(?:\[0\])?) \"(.*)\"$", line)
            if match:
                key = match.group(1).replace("[0]", "")
                parts[key] = [match.group(2)]
            elif line.startswith('"') and key:
                parts[key].append(line[1:-1])
        entries.append(
            {
                "msgid": _unquote(parts["msgid"]),
                "plural": _unquote(parts["msgid_plural"]) if "msgid_plural" in parts else None,
                "msgstr": _unquote(parts.get("msgstr", [])),
                "fuzzy": "fuzzy" in block.split("msgid", 1)[0],
            }
        )
    return entries


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = _entries()
    assert len(entries) > 300
    assert [e["msgid"] for e in entries if not e["msgstr"]] == []
    assert [e["msgid"] for e in entries if e["fuzzy"]] == []


def test_the_compiled_catalogue_matches_the_source():
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in _entries():
        if entry["plural"]:
            assert compiled.ngettext(entry["msgid"], entry["plural"], 1) == entry["msgstr"]
        else:
            assert compiled.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]
