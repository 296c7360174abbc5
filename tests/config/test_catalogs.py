"""The translation catalogs (locale/): complete, current and compiled.

`make messages` (our makemessages: workshops/management/commands/makemessages.py) collects every marked text of
the Python, template and TypeScript sources; these tests fail when a text was added or changed without it, when a
German entry is missing or fuzzy, when a committed .mo is older than its .po, or when xgettext (which reads the
TypeScript as C: workshops/management/commands/makemessages.py) missed a gettext call of the live apps.
"""

import gettext
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale"
CATALOGS = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))
NOT_SOURCES = shutil.ignore_patterns(".git", ".venv", "node_modules", "var", "dist", "__pycache__", "*.pyc")


def _without_dates(text):
    return re.sub(r'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"$', "", text, flags=re.M)


def test_there_are_catalogs_for_every_language_but_the_source():
    others = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    assert others
    for code in others:
        assert {p.stem for p in (LOCALE / code / "LC_MESSAGES").glob("*.po")} == {"django", "djangojs"}


@pytest.mark.slow
def test_makemessages_changes_no_committed_catalog(tmp_path):
    copy = tmp_path / "attune"
    shutil.copytree(ROOT, copy, ignore=NOT_SOURCES)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--all"], cwd=copy, check=True, capture_output=True, timeout=240
    )
    changed = [
        str(po.relative_to(ROOT))
        for po in CATALOGS
        if _without_dates(po.read_text()) != _without_dates((copy / po.relative_to(ROOT)).read_text())
    ]
    assert changed == [], f"Texts changed without `make messages`: {changed}"


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(LOCALE)))
def test_every_entry_is_translated_and_none_is_fuzzy(po):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"\d+ translated messages?\.\n", result.stderr), result.stderr


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: str(p.relative_to(LOCALE)))
def test_the_committed_mo_is_the_po_compiled(po, tmp_path):
    fresh = tmp_path / "fresh.mo"
    subprocess.run(["msgfmt", "-o", str(fresh), str(po)], check=True, timeout=60)
    committed = po.with_suffix(".mo")
    assert committed.exists(), f"{committed.name} is missing: run `make messages`"
    with committed.open("rb") as old, fresh.open("rb") as new:
        assert gettext.GNUTranslations(old)._catalog == gettext.GNUTranslations(new)._catalog, (
            f"{committed.relative_to(ROOT)} is older than its .po: run `make messages`"
        )


# A JavaScript string literal in double quotes, as the live apps write texts to translate.
_LITERAL = r'"((?:[^"\\\n]|\\.)*)"'
_CALLS = re.compile(rf"\b(?:gettext|ngettext)\(\s*{_LITERAL}(?:\s*,\s*{_LITERAL})?")


def _msgids(po):
    """The msgids (and msgid_plurals) of a catalog, read with gettext's own msgcat into a simple form."""
    out = subprocess.run(
        ["msgcat", "--no-wrap", "--sort-output", str(po)], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return {json.loads(m) for m in re.findall(r'^msgid(?:_plural)? ("(?:[^"\\]|\\.)*")$', out, flags=re.M)} - {""}


def test_xgettext_found_every_text_the_live_apps_translate():
    in_sources = set()
    for source in sorted((ROOT / "frontend" / "src").rglob("*.ts*")):
        for match in _CALLS.finditer(source.read_text()):
            in_sources.update(json.loads(f'"{text}"') for text in match.groups() if text is not None)
    assert in_sources, "no gettext call found in frontend/src"
    catalog = _msgids(LOCALE / "de" / "LC_MESSAGES" / "djangojs.po")
    assert sorted(in_sources - catalog) == [], "xgettext missed these (a quote or apostrophe outside a string?)"
    assert sorted(catalog - in_sources) == [], 'in the catalog, but no gettext("...") call has them'


# The German names of the staff roles, as the team page lists them, and words a translator might reach for instead.
# One role, one name: a person reading "Veranstalter" in an e-mail and "Planung" on the page could think them two.
GERMAN_ROLES = {"Owner": "Leitung", "Organizer": "Planung", "Facilitator": "Moderation"}
NOT_OUR_ROLE_NAMES = ("Veranstalter", "Organisator", "Moderator", "Inhaber", "Besitzer", "Eigentümer")


def test_german_calls_each_staff_role_by_one_name():
    django = gettext.GNUTranslations((LOCALE / "de/LC_MESSAGES/django.mo").open("rb"))
    assert {role: django.pgettext("staff role", role) for role in GERMAN_ROLES} == GERMAN_ROLES
    for mo in sorted((LOCALE / "de/LC_MESSAGES").glob("*.mo")):
        texts = gettext.GNUTranslations(mo.open("rb"))._catalog.values()
        german = "\n".join(text if isinstance(text, str) else "\n".join(text) for text in texts)
        assert [word for word in NOT_OUR_ROLE_NAMES if re.search(rf"\b{word}", german)] == [], mo.name
