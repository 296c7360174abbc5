"""Django's makemessages with Attune's conventions, so `manage.py makemessages -l <code>` (a new language) and
`make messages` (after changing any text) write the same catalogs:

- both domains at once: ``django`` (Python and templates) and ``djangojs`` (the live apps' TypeScript,
  frontend/src; xgettext reads it as C, see below, and tests/config/test_catalogs.py checks that it found every
  ``gettext`` call there);
- no source locations and no obsolete entries, so the catalogs change only when a text does
  (tests/config/test_catalogs.py runs this command and fails when that changes a committed catalog);
- never the installed packages, the build output, the tests or the benchmarks.
"""

from django.core.management.commands import makemessages

IGNORED = [
    ".venv",
    "node_modules",
    "var",
    "dist",
    "static",
    "tests",
    "bench",
    "docs",
    "platform",
]


class Command(makemessages.Command):
    help = __doc__

    def handle(self, *args, **options):
        options.update(
            no_location=True,
            no_obsolete=True,
            no_wrap=False,
            ignore_patterns=[*options.get("ignore_patterns", []), *IGNORED],
        )
        super().handle(*args, **{**options, "domain": "django", "extensions": ["html", "txt", "py"]})
        # The live apps read as C, not as JavaScript: xgettext's JavaScript reader (E4X rules) loses its place in
        # JSX for the rest of a file after an element inside braces ({open && <p/>}, an element in an attribute)
        # and a later template literal, and then misses every text after it. C's reader knows strings, comments
        # and calls, which is all that finding gettext("...") needs; a stray apostrophe costs it one line at most.
        javascript_options = self.xgettext_options
        self.xgettext_options = [*javascript_options, "--language=C"]  # after Django's --language=JavaScript
        try:
            super().handle(*args, **{**options, "domain": "djangojs", "extensions": ["ts", "tsx"]})
        finally:
            self.xgettext_options = javascript_options
