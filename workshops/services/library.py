"""Exercises and programs: create, edit, copy. Built-in ones are read-only; copy them to change them."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from workshops.errors import DomainError
from workshops.library_i18n import (
    EXERCISE_TEXTS,
    ITEM_TEXTS,
    PROGRAM_TEXTS,
    STEP_TEXTS,
    carried_step_translations,
    localized,
    pick,
    unchanged_texts,
)
from workshops.models import Exercise, Program, ProgramItem, Step
from workshops.steps import StepError, validate_step

MAX_STEPS = 20
MAX_ITEMS = 40


def _check_editable(obj, organization):
    if obj.organization_id is None:
        raise DomainError(_("Built-in items are read-only; copy it to your organization to change it."), code="builtin")
    if organization is not None and obj.organization_id != organization.pk:
        raise DomainError(_("This belongs to another organization."), code="foreign")


def _validated_steps(steps):
    if not isinstance(steps, list) or not steps:
        raise DomainError(_("An exercise needs at least one step."), field="steps")
    if len(steps) > MAX_STEPS:
        raise DomainError(_("An exercise has at most %(count)s steps.") % {"count": MAX_STEPS}, field="steps")
    specs = []
    for index, step in enumerate(steps):
        try:
            specs.append(validate_step(step if isinstance(step, dict) else {}))
        except StepError as exc:
            first_field, first_message = next(iter(exc.errors.items()))
            raise DomainError(
                _("Step %(number)s: %(field)s: %(problem)s")
                % {"number": index + 1, "field": first_field, "problem": first_message},
                field=f"steps.{index}.{first_field}",
            ) from None
    return specs


def _write_steps(exercise, specs):
    """The exercise's steps become ``specs``; a step whose texts did not change keeps its translations."""
    old = [(step.as_spec(), step.translations) for step in exercise.steps.all()]
    exercise.steps.all().delete()
    Step.objects.bulk_create(
        Step(
            exercise=exercise,
            position=position,
            **spec.model_dump(),
            translations=carried_step_translations(old, spec.model_dump()),
        )
        for position, spec in enumerate(specs, 1)
    )


def _author_language():
    """The language an organization's own exercise or program is written in: its author's, as they write it."""
    return get_language() or settings.LANGUAGE_CODE


def _clean_title(title):
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give it a title."), field="title")
    if len(title) > 120:
        raise DomainError(_("Keep the title to %(count)s characters.") % {"count": 120}, field="title")
    return title


@transaction.atomic
def exercise_create(*, organization, title, steps, summary="", practice=""):
    specs = _validated_steps(steps)
    exercise = Exercise.objects.create(
        organization=organization,
        title=_clean_title(title),
        summary=summary or "",
        practice=practice or "",
        language=_author_language(),
    )
    _write_steps(exercise, specs)
    return exercise


@transaction.atomic
def exercise_update(*, exercise, organization=None, title=None, summary=None, practice=None, steps=None):
    _check_editable(exercise, organization)
    before = pick(vars(exercise), EXERCISE_TEXTS)
    if title is not None:
        exercise.title = _clean_title(title)
    if summary is not None:
        exercise.summary = summary
    if practice is not None:
        exercise.practice = practice
    exercise.translations = unchanged_texts(exercise.translations, before, pick(vars(exercise), EXERCISE_TEXTS))
    if steps is not None:
        _write_steps(exercise, _validated_steps(steps))
    exercise.save()
    return exercise


@transaction.atomic
def exercise_copy(*, exercise, organization, into_program=None):
    """Copy an exercise (built-in or the organization's own) into the organization, steps included; with
    ``into_program``, that program runs the copy wherever it ran the original (program_swap_exercise)."""
    if into_program is not None:
        _check_editable(into_program, organization)
    copy = Exercise.objects.create(
        organization=organization,
        title=exercise.title,
        summary=exercise.summary,
        practice=exercise.practice,
        language=exercise.language,
        translations=exercise.translations,
        copied_from=exercise,
    )
    Step.objects.bulk_create(
        Step(
            exercise=copy,
            **{
                f: getattr(s, f)
                for f in (
                    "position",
                    "kind",
                    "title",
                    "duration_minutes",
                    "participant_text",
                    "facilitator_notes",
                    "content_note",
                    "config",
                    "translations",
                )
            },
        )
        for s in exercise.steps.all()
    )
    if into_program is not None:
        program_swap_exercise(program=into_program, organization=organization, exercise=exercise, replacement=copy)
    return copy


@transaction.atomic
def program_swap_exercise(*, program, organization, exercise, replacement):
    """Every item of the program that runs ``exercise`` runs ``replacement`` instead, with the same minutes, part
    and notes (e.g. a built-in exercise swapped for the organization's copy of it). Returns how many items."""
    _check_editable(program, organization)
    if replacement.organization_id not in (None, organization.pk):
        raise DomainError(_("This belongs to another organization."), code="foreign")
    swapped = program.items.filter(exercise=exercise).update(exercise=replacement)
    if swapped:
        program.save(update_fields=["updated_at"])
    return swapped


@transaction.atomic
def exercise_delete(*, exercise, organization=None):
    _check_editable(exercise, organization)
    if exercise.program_items.exists():
        titles = sorted({item.program.title for item in exercise.program_items.select_related("program")})
        raise DomainError(
            _("This exercise is used by: %(programs)s. Remove it there first.") % {"programs": ", ".join(titles)},
            code="in_use",
        )
    exercise.delete()


def _validated_items(organization, items):
    if not isinstance(items, list) or not items:
        raise DomainError(_("A program needs at least one exercise."), field="items")
    if len(items) > MAX_ITEMS:
        raise DomainError(_("A program has at most %(count)s exercises.") % {"count": MAX_ITEMS}, field="items")
    ids = {item.get("exercise") for item in items if isinstance(item, dict)}
    usable = {
        e.pk: e
        for e in Exercise.objects.filter(
            pk__in=[i for i in ids if isinstance(i, int) and not isinstance(i, bool)]
        ).prefetch_related("steps")
        if e.organization_id in (None, organization.pk)
    }
    cleaned = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise DomainError(_("Item %(number)s must be an object.") % {"number": index + 1}, field=f"items.{index}")
        exercise_id = item.get("exercise")
        exercise = None if isinstance(exercise_id, bool) else usable.get(exercise_id)
        if exercise is None:
            raise DomainError(
                _("Item %(number)s: no such exercise in your library.") % {"number": index + 1},
                field=f"items.{index}.exercise",
            )
        step_minutes = sum(step.duration_minutes for step in exercise.steps.all())
        duration = item.get("duration_minutes", step_minutes)
        if not isinstance(duration, int) or isinstance(duration, bool) or not 1 <= duration <= 600:
            raise DomainError(
                _("Item %(number)s: duration must be 1 to 600 minutes.") % {"number": index + 1},
                field=f"items.{index}.duration_minutes",
            )
        part = item.get("part", 1)
        if not isinstance(part, int) or isinstance(part, bool) or not 1 <= part <= 14:
            raise DomainError(
                _("Item %(number)s: part must be 1 to 14.") % {"number": index + 1}, field=f"items.{index}.part"
            )
        notes = item.get("facilitator_notes", "") or ""
        if not isinstance(notes, str) or len(notes) > 4000:
            raise DomainError(
                _("Item %(number)s: notes must be text of at most 4000 characters.") % {"number": index + 1},
                field=f"items.{index}.facilitator_notes",
            )
        cleaned.append({"exercise": exercise, "duration_minutes": duration, "part": part, "facilitator_notes": notes})
    parts = [c["part"] for c in cleaned]
    if parts != sorted(parts):
        raise DomainError(_("Order the items by part: all of part 1 first, then part 2..."), field="items")
    return cleaned


def _write_items(program, cleaned):
    """The program's items become ``cleaned``; an item that runs the same exercise with the same notes as one
    before keeps its notes' translations."""
    before = {(i.exercise_id, i.facilitator_notes): i.translations for i in program.items.all()}
    program.items.all().delete()
    ProgramItem.objects.bulk_create(
        ProgramItem(
            program=program,
            position=n,
            **c,
            translations=before.get((c["exercise"].pk, c["facilitator_notes"]), {}),
        )
        for n, c in enumerate(cleaned, 1)
    )


def _check_format(format_):
    if format_ not in dict(Program.FORMATS):
        raise DomainError(
            _("Format must be one of %(formats)s.") % {"formats": ", ".join(dict(Program.FORMATS))}, field="format"
        )


@transaction.atomic
def program_create(*, organization, title, items, description="", format="in_person"):  # noqa: A002
    _check_format(format)
    cleaned = _validated_items(organization, items)
    program = Program.objects.create(
        organization=organization,
        title=_clean_title(title),
        description=description or "",
        format=format,
        language=_author_language(),
    )
    _write_items(program, cleaned)
    return program


@transaction.atomic
def program_update(*, program, organization, title=None, description=None, format=None, items=None):  # noqa: A002
    _check_editable(program, organization)
    before = pick(vars(program), PROGRAM_TEXTS)
    if title is not None:
        program.title = _clean_title(title)
    if description is not None:
        program.description = description
    program.translations = unchanged_texts(program.translations, before, pick(vars(program), PROGRAM_TEXTS))
    if format is not None:
        _check_format(format)
        program.format = format
    if items is not None:
        _write_items(program, _validated_items(organization, items))
    program.save()
    return program


@transaction.atomic
def program_copy(*, program, organization):
    """Copy a program into the organization. Its exercises stay shared (built-in ones are read-only anyway)."""
    copy = Program.objects.create(
        organization=organization,
        title=program.title,
        description=program.description,
        format=program.format,
        language=program.language,
        translations=program.translations,
        copied_from=program,
    )
    ProgramItem.objects.bulk_create(
        ProgramItem(
            program=copy,
            exercise_id=i.exercise_id,
            position=i.position,
            part=i.part,
            duration_minutes=i.duration_minutes,
            facilitator_notes=i.facilitator_notes,
            translations=i.translations,
        )
        for i in program.items.all()
    )
    return copy


@transaction.atomic
def program_delete(*, program, organization):
    _check_editable(program, organization)
    if program.workshops.exists():
        raise DomainError(_("Workshops use this program; it can't be deleted."), code="in_use")
    program.delete()


def install_builtin_library(*, exercise_model, step_model, program_model, item_model, content, languages=None):
    """Create or refresh the built-in exercises and programs from ``content`` (used by a data migration,
    so it takes the historical models), with their texts in each of ``languages`` ({"de": overlay module}, see
    workshops/library_i18n.py) kept in the rows' ``translations`` (a migration from before those existed passes
    none). Idempotent: keyed by each item's ``key``."""

    def kept(versions, fields):
        if not languages:
            return {}
        return {"translations": {code: pick(version, fields) for code, version in versions.items()}}

    def versions_of(data, overlays):
        return {
            code: localized(data, getattr(texts, overlays).get(data["key"], {}))
            for code, texts in (languages or {}).items()
        }

    by_key = {}
    for data in content.EXERCISES:
        versions = versions_of(data, "EXERCISES")
        exercise, _created = exercise_model.objects.update_or_create(
            organization=None,
            key=data["key"],
            defaults={
                "title": data["title"],
                "summary": data["summary"],
                "practice": data["practice"],
                **kept(versions, EXERCISE_TEXTS),
            },
        )
        step_model.objects.filter(exercise=exercise).delete()
        step_model.objects.bulk_create(
            step_model(
                exercise=exercise,
                position=n,
                **validate_step(step).model_dump(),
                **kept(
                    {code: validate_step(v["steps"][n - 1]).model_dump() for code, v in versions.items()}, STEP_TEXTS
                ),
            )
            for n, step in enumerate(data["steps"], 1)
        )
        by_key[data["key"]] = exercise
    for data in content.PROGRAMS:
        versions = versions_of(data, "PROGRAMS")
        program, _created = program_model.objects.update_or_create(
            organization=None,
            key=data["key"],
            defaults={
                "title": data["title"],
                "description": data["description"],
                "format": data["format"],
                **kept(versions, PROGRAM_TEXTS),
            },
        )
        item_model.objects.filter(program=program).delete()
        item_model.objects.bulk_create(
            item_model(
                program=program,
                exercise=by_key[item["exercise"]],
                position=n,
                part=item.get("part", 1),
                duration_minutes=item["duration_minutes"],
                facilitator_notes=item.get("facilitator_notes", ""),
                **kept({code: v["items"][n - 1] for code, v in versions.items()}, ITEM_TEXTS),
            )
            for n, item in enumerate(data["items"], 1)
        )
