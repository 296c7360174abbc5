"""The organization's report: released answers only.

Its unit is one prompt's released result in one session. Every filter (a session, a workshop, the workshops of
one program) selects whole units and adds them up, so the difference between any two filters is itself a
union of whole units, each of at least k answers from three couples: no subtraction isolates fewer.
"""

import csv
import io
import json

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from feedback.models import Prompt, ReleasedAnswer
from feedback.selectors import aggregate
from workshops.models import Program, Session, Workshop


def units(organization, *, program=None, workshop=None, session=None):
    prompts = Prompt.objects.filter(session__workshop__organization=organization, released__isnull=False)
    if program is not None:
        prompts = prompts.filter(session__workshop__program=program)
    if workshop is not None:
        prompts = prompts.filter(session__workshop=workshop)
    if session is not None:
        prompts = prompts.filter(session=session)
    return prompts.distinct().select_related("session__workshop")


def report(organization, **filters):
    """Groups of units that ask the same question the same way, each with the sum of their released answers."""
    groups = {}
    for prompt in units(organization, **filters):
        key = (prompt.kind, prompt.question, json.dumps(prompt.options), json.dumps(prompt.scale))
        group = groups.setdefault(
            key,
            {
                "kind": prompt.kind,
                "question": prompt.question,
                "options": prompt.options,
                "scale": prompt.scale,
                "prompt_ids": [],
                "sessions": set(),
                "couples": 0,  # per unit, added up: a retreat's couple counts once in each session it answered
            },
        )
        group["prompt_ids"].append(prompt.pk)
        group["sessions"].add(prompt.session_id)
        group["couples"] += prompt.released_couples
    result = []
    for group in groups.values():
        answers = list(
            ReleasedAnswer.objects.filter(prompt_id__in=group["prompt_ids"]).values_list("pk", "value", "hidden")
        )
        result.append(
            {
                "kind": group["kind"],
                "question": group["question"],
                "sessions": len(group["sessions"]),
                "result": aggregate(group["kind"], group["options"], group["scale"], answers, group["couples"]),
            }
        )
    result.sort(key=lambda g: (g["question"], g["kind"]))
    return result


def filter_choices(organization):
    return {
        "programs": Program.objects.filter(workshops__organization=organization).distinct(),
        "workshops": Workshop.objects.filter(organization=organization),
        "sessions": Session.objects.filter(workshop__organization=organization).select_related("workshop"),
    }


FILTERS = ("program", "workshop", "session")
_NOT_FOUND = {
    "program": gettext_lazy("No such program in this organization."),
    "workshop": gettext_lazy("No such workshop in this organization."),
    "session": gettext_lazy("No such session in this organization."),
}


def pick_filters(organization, raw):
    """The report's filters from ids (`raw`: name -> text), the page's and the API's alike. Returns the choices,
    {name: object} for those found in this organization, and {name: (code, message)} for the rest, in order."""
    choices = filter_choices(organization)
    picked, problems = {}, {}
    for name in FILTERS:
        value = raw.get(name)
        if value is None or value == "":
            continue
        if not value.isdigit() or not 0 < int(value) < 2**31:
            problems[name] = ("invalid", _("%(field)s must be an id.") % {"field": name})
            continue
        found = choices[f"{name}s"].filter(pk=int(value)).first()
        if found is None:
            problems[name] = ("not_found", str(_NOT_FOUND[name]))
        else:
            picked[name] = found
    return choices, picked, problems


def as_csv(groups):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["question", "kind", "sessions", "answers", "couples", "item", "count"])
    for group in groups:
        body = group["result"]
        rows = []
        if group["kind"] == "scale":
            rows = [(c["value"], c["count"]) for c in body["counts"]]
        elif group["kind"] in ("single", "multiple"):
            rows = [(c["option"], c["count"]) for c in body["counts"]]
        elif group["kind"] == "words":
            rows = [(w["word"], w["count"]) for w in body["words"]]
        else:
            rows = [(item["value"], 1) for item in body["items"]]
        for item, count in rows:
            writer.writerow(
                [group["question"], group["kind"], group["sessions"], body["answers"], body["couples"], item, count]
            )
    return out.getvalue()
