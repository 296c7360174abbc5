"""Organization slugs: the name of an organization as it appears in its addresses (/o/<slug>/, /api/v1/orgs/<slug>/).

A slug keeps the letters of any script: "Ünïcødé Пары 夫婦" becomes "ünïcødé-пары-夫婦", not "unicde" (ASCII-only
slugify drops every letter it cannot spell in ASCII). No transliteration: it would have to guess a language
("夫婦" reads "fufu" in Japanese, "fu fu" in Mandarin) and spell a name differently from how its owners write it.
Django's slugify(allow_unicode=True) keeps the scripts but drops combining marks, which Devanagari, Thai and
Arabic words need ("नमस्ते" would lose its vowel signs); so letters, marks and digits are kept here, by their
Unicode category. Browsers show such an address as written; on the wire it is percent-encoded UTF-8.
"""

import re
import unicodedata

from django.utils.translation import gettext as _

MAX_LENGTH = 50
# Slugs that name organizer pages rather than an organization (/o/new/).
RESERVED = frozenset({"new"})


def _kept(character):
    return unicodedata.category(character)[0] in "LMN"  # letters, marks, digits: any script


def normalized(text):
    """The one spelling of a text that slugs are compared in (NFKC: "ﬁ" is "fi", full-width "Ａ" is "A")."""
    return unicodedata.normalize("NFKC", text)


def slug_from(text):
    """A slug made from any text: lowercase, runs of anything but letters, marks and digits made one hyphen;
    at most MAX_LENGTH characters; "" if the text has no letter or digit at all."""
    text = normalized(text).lower()
    slug = re.sub("-+", "-", "".join(c if _kept(c) else "-" for c in text)).strip("-")
    return slug[:MAX_LENGTH].rstrip("-")


def slug_problem(value):
    """Why `value` cannot be a chosen slug (a sentence), or None if it can."""
    suggestion = slug_from(value)
    if value != suggestion or not value:
        rule = _(
            "A slug is lowercase letters (of any script) and digits, words joined by single hyphens, at most "
            "%(max)s characters: try %(example)s."
        )
        if suggestion and suggestion not in RESERVED:
            example = _('"%(slug)s", for instance') % {"slug": suggestion}
        else:
            example = "kindred-rooms"
        return rule % {"max": MAX_LENGTH, "example": example}
    if value in RESERVED:
        return _('"%(slug)s" names a page of Attune; choose another slug.') % {"slug": value}
    return None


class SlugConverter:
    """The <orgslug:slug> of the URLs: any slug, whatever its script (Django's <slug:> takes ASCII only), compared
    in normalized form, so a browser that sends the address decomposed (NFD) still finds it."""

    regex = "[^/]+"

    def to_python(self, value):
        return normalized(value)

    def to_url(self, value):
        return value
