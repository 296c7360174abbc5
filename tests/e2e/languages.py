"""Which English is left on a screen that should be in another language (issue 17).

The English texts are the msgids of a catalog (by default the live apps' German one, locale/de/LC_MESSAGES/
djangojs.po), read with gettext's own msgcat. A msgid is found on a page when its words are there in order: markup
in it (<strong>) is dropped, as the page's text drops it, a placeholder (%(name)s) matches whatever value filled it,
and runs of whitespace match any whitespace. Short msgids ("Back", "Pair") are left out by default, as a German
text may well contain them as a word of its own.

    from tests.e2e.languages import english_left_on, rendered_text
    assert english_left_on(rendered_text(phone.page), LIVE_CATALOG) == []
"""

import functools
import json
import re
import subprocess
from pathlib import Path

from tests.support import ROOT

LIVE_CATALOG = ROOT / "locale" / "de" / "LC_MESSAGES" / "djangojs.po"
MIN_LENGTH = 12

_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
_MARKUP = re.compile(r"</?[a-z]+>")

# The text a person meets on a page: what it shows, and the names and hints only some read or hear (aria-label,
# title, placeholder, alt), one per line.
_RENDERED = """() => {
    const named = [...document.querySelectorAll("[aria-label], [title], [placeholder], [alt]")];
    const names = named.flatMap(node =>
        ["aria-label", "title", "placeholder", "alt"].map(name => node.getAttribute(name)).filter(Boolean));
    return [document.body.innerText, ...names].join("\\n");
}"""


def rendered_text(page):
    """A Playwright page's text as a person meets it: the visible text and its elements' aria-label, title,
    placeholder and alt."""
    return page.evaluate(_RENDERED)


@functools.cache
def msgids(po):
    """The English texts of a catalog: its msgids and msgid_plurals (the header's empty one left out)."""
    out = subprocess.run(
        ["msgcat", "--no-wrap", str(po)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    found = re.findall(r'^msgid(?:_plural)? ("(?:[^"\\]|\\.)*")$', out, flags=re.M)
    return frozenset(json.loads(text) for text in found) - {""}


@functools.cache
def _pattern(msgid):
    """A regex that finds the msgid's words on a page, with anything in place of a placeholder; None when the
    msgid has no words of its own (only placeholders)."""
    words = _MARKUP.sub("", msgid)
    pieces = [r"\s+".join(re.escape(word) for word in piece.split()) for piece in _PLACEHOLDER.split(words)]
    if not any(piece.strip() for piece in pieces):
        return None
    return re.compile(r".+?".join(pieces))


def _literal_length(msgid):
    return len(_PLACEHOLDER.sub("", _MARKUP.sub("", msgid)).strip())


def english_left_on(page_text, catalog=LIVE_CATALOG, min_length=MIN_LENGTH):
    """The catalog's English texts longer than `min_length` characters (placeholders and markup not counted) that
    `page_text` holds, sorted. `catalog` is a .po file (its msgids are the English) or the texts themselves."""
    texts = msgids(Path(catalog)) if isinstance(catalog, (str, Path)) else catalog
    found = []
    for text in texts:
        if _literal_length(text) <= min_length:
            continue
        pattern = _pattern(text)
        if pattern is not None and pattern.search(page_text):
            found.append(text)
    return sorted(found)
