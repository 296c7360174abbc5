"""What a browser test needs to know about the live apps' catalogs: which of the apps' English texts are still on
a screen that should read in another language."""

import json
import re
from pathlib import Path

from tests.support import ROOT

GERMAN_JS = ROOT / "locale" / "de" / "LC_MESSAGES" / "djangojs.po"
PLACEHOLDER = re.compile(r"%\(\w+\)s")
# Shorter texts ("Pause", "Feedback", "Step ") are often the same in both languages, or part of a name.
LONGER_THAN = 12


def catalog_entries(po_path):
    """Each entry of a .po file as (English forms, translated forms): msgid and msgid_plural, msgstr and
    msgstr[n]; the header (msgid "") left out."""
    entries, fields, key = [], None, None
    for line in Path(po_path).read_text(encoding="utf-8").splitlines():
        keyword = re.match(r"(msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$", line)
        if keyword:
            key = keyword.group(1)
            if key == "msgid":
                fields = {}
                entries.append(fields)
            fields[key] = json.loads(keyword.group(2))
        elif line.startswith('"') and fields is not None:
            fields[key] += json.loads(line)
    return [
        (
            [v for k, v in fields.items() if k.startswith("msgid")],
            [v for k, v in fields.items() if k.startswith("msgstr")],
        )
        for fields in entries
        if fields["msgid"]
    ]


def _longest_literal(text):
    """The longest part of a text between its %(name)s placeholders, whitespace as a browser shows it."""
    return max((" ".join(part.split()) for part in PLACEHOLDER.split(text)), key=len)


def english_left_on(page_text, po_path=GERMAN_JS):
    """The catalog's English texts (longer than LONGER_THAN characters; for a text with placeholders its longest
    literal part) that show in `page_text`, leaving out those the translation itself contains."""
    shown = " ".join(page_text.split())
    left = set()
    for english, translated in catalog_entries(po_path):
        for msgid in english:
            piece = _longest_literal(msgid)
            if len(piece) > LONGER_THAN and piece in shown and not any(piece in t for t in translated):
                left.add(msgid)
    return sorted(left)
