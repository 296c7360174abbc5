"""Reads of released feedback only. A result is a whole released unit: one prompt in one session."""

from collections import Counter

from feedback.models import Prompt, ReleasedAnswer


def result(prompt, *, for_projector=False):
    """The aggregate of a prompt's released answers (None when nothing is released yet)."""
    answers = list(ReleasedAnswer.objects.filter(prompt=prompt).values_list("pk", "value", "hidden"))
    if not answers:
        return None
    return aggregate(
        prompt.kind, prompt.options, prompt.scale, answers, prompt.released_couples, for_projector=for_projector
    )


def aggregate(kind, options, scale, answers, couples, *, for_projector=False):
    """Totals of released answers, with how many answers and from how many couples they are."""
    values = [value for _, value, _ in answers]
    body = {"answers": len(values), "couples": couples}
    if kind == "scale":
        counts = Counter(values)
        body["counts"] = [{"value": v, "count": counts.get(v, 0)} for v in range(scale["min"], scale["max"] + 1)]
        body["mean"] = round(sum(values) / len(values), 2)
    elif kind == "single":
        counts = Counter(values)
        body["counts"] = [{"option": o, "count": counts.get(i, 0)} for i, o in enumerate(options)]
    elif kind == "multiple":
        counts = Counter(i for chosen in values for i in chosen)
        body["counts"] = [{"option": o, "count": counts.get(i, 0)} for i, o in enumerate(options)]
    else:
        items = [{"id": str(pk), "value": value, "hidden": hidden} for pk, value, hidden in answers]
        items.sort(key=lambda item: item["id"])  # random keys: a shuffled, stable order
        if for_projector:
            items = [{"value": i["value"]} for i in items if not i["hidden"]]
        body["items"] = items
        if kind == "words":
            counts = Counter(i["value"] for i in items)
            body["words"] = [{"word": w, "count": c} for w, c in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]
    return body


def prompts_of(session):
    return list(Prompt.objects.filter(session=session).order_by("source", "step_index", "position", "pk"))
