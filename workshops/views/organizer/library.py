"""Organizer pages for the library: exercises (with their steps) and programs (exercises put in order, by part).

Built-in exercises and programs are read-only: they are shown, and can be copied into the organization.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from workshops import forms, forms_library
from workshops.errors import DomainError
from workshops.models import Exercise, Program
from workshops.permissions import can
from workshops.selectors import organizations as selectors
from workshops.services import library as library_services
from workshops.steps import KIND_LABELS, STEP_KINDS
from workshops.views.organizer.base import confirm_page, form_status, org_page, post_data, render_page

# --- Library: exercises ----------------------------------------------------------------------------------


def _exercise_row(exercise):
    kinds = []
    for step in exercise.steps.all():
        label = KIND_LABELS.get(step.kind, step.kind)
        if label not in kinds:
            kinds.append(label)
    return {"exercise": exercise, "minutes": forms.exercise_minutes(exercise), "kinds": kinds}


@org_page("library.view", section="library")
def library(request, organization):
    rows = [_exercise_row(e) for e in selectors.exercises_visible(organization)]
    return render_page(
        request,
        "organizer/library.html",
        organization,
        "library",
        own=[r for r in rows if not r["exercise"].is_builtin],
        builtin=[r for r in rows if r["exercise"].is_builtin],
    )


def _visible_exercise(organization, pk):
    return get_object_or_404(selectors.exercises_visible(organization), pk=pk)


@org_page("library.view", section="library")
def exercise_detail(request, organization, pk):
    exercise = _visible_exercise(organization, pk)
    steps = [
        {
            "step": step,
            "kind": KIND_LABELS.get(step.kind, step.kind),
            "settings": forms_library.settings_summary(step.kind, step.config),
        }
        for step in exercise.steps.all()
    ]
    used_by = Program.objects.filter(items__exercise=exercise, organization=organization).distinct()
    return render_page(
        request,
        "organizer/exercise_detail.html",
        organization,
        "library",
        exercise=exercise,
        steps=steps,
        minutes=forms.exercise_minutes(exercise),
        used_by=used_by,
        from_program=used_by.filter(pk=_int(request.GET.get("program"))).first(),
        original_used_by=_programs_using_the_original(organization, exercise),
    )


def _int(text):
    return int(text) if isinstance(text, str) and text.isdigit() and len(text) < 12 else None


def _programs_using_the_original(organization, exercise):
    """The organization's programs that still run the exercise this one is a copy of (they may want the copy)."""
    if exercise.is_builtin or exercise.copied_from_id is None:
        return Program.objects.none()
    return Program.objects.filter(organization=organization, items__exercise_id=exercise.copied_from_id).distinct()


def _apply_step_op(drafts, op, arg, new_kind):
    """Add, remove or move a step in the unsaved draft; returns what happened, for the page."""
    if op == "add":
        if len(drafts) >= library_services.MAX_STEPS:
            return _("An exercise has at most %(count)s steps.") % {"count": library_services.MAX_STEPS}
        drafts.append(forms_library.StepDraft.new(new_kind))
        return _("Step %(number)s added at the end.") % {"number": len(drafts)}
    try:
        index = int(arg)
    except ValueError:
        return _("Nothing changed.")
    if not 0 <= index < len(drafts):
        return _("Nothing changed.")
    if op == "remove":
        removed = drafts.pop(index)
        if removed.title:
            return _("Step %(number)s (%(title)s) removed.") % {"number": index + 1, "title": removed.title}
        return _("Step %(number)s (untitled) removed.") % {"number": index + 1}
    if op == "up" and index > 0:
        drafts[index - 1], drafts[index] = drafts[index], drafts[index - 1]
        return _("Step %(number)s moved up.") % {"number": index + 1}
    if op == "down" and index < len(drafts) - 1:
        drafts[index + 1], drafts[index] = drafts[index], drafts[index + 1]
        return _("Step %(number)s moved down.") % {"number": index + 1}
    return _("Nothing changed.")


def _kind_changes(drafts):
    """What changing the kind of some steps did (their settings start from the new kind's example), or ""."""
    return " ".join(
        _("Step %(number)s is now “%(kind)s”: its settings start from an example, change them to yours.")
        % {"number": n, "kind": draft.kind_label}
        for n, draft in enumerate(drafts, 1)
        if draft.switched_from
    )


def _place_exercise_error(form, drafts, error):
    """steps.<n>.<field> goes next to that step's field; anything else next to the form field or on top."""
    parts = (error.field or "").split(".", 2)
    if parts[0] == "steps" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(drafts):
        drafts[int(parts[1])].add_error(parts[2], error.message)
        return None
    if parts[0] == "steps":
        return error.message
    forms.apply_error(form, error)
    return None


def _exercise_form_and_drafts(exercise):
    """The editor as first shown: a new exercise starts with one instruction step."""
    if exercise is None:
        return forms.ExerciseForm(), [forms_library.StepDraft.new("instruction")]
    form = forms.ExerciseForm(
        initial={"title": exercise.title, "practice": exercise.practice, "summary": exercise.summary}
    )
    return form, forms_library.step_drafts_from_exercise(exercise)


def _exercise_save(request, organization, exercise, form, drafts):
    """Creates or updates when the form and every step are valid; returns (the saved exercise or None, steps_error)."""
    steps = [draft.check() for draft in drafts]
    if not form.is_valid() or any(draft.errors for draft in drafts):
        return None, None
    fields = {name: form.cleaned_data[name] for name in ("title", "summary", "practice")}
    try:
        if exercise is None:
            exercise = library_services.exercise_create(organization=organization, steps=steps, **fields)
            done = _("Exercise “%(title)s” created.") % {"title": exercise.title}
        else:
            library_services.exercise_update(exercise=exercise, organization=organization, steps=steps, **fields)
            done = _("Exercise “%(title)s” saved.") % {"title": exercise.title}
    except DomainError as error:
        return None, _place_exercise_error(form, drafts, error)
    messages.success(request, done)
    return exercise, None


def _exercise_editor(request, organization, exercise):
    """New and edit share this editor: Save writes the exercise; the step buttons change only the draft."""
    steps_error = notice = None
    if request.method != "POST":
        form, drafts = _exercise_form_and_drafts(exercise)
    else:
        drafts = forms_library.step_drafts_from_post(request.POST, library_services.MAX_STEPS)
        op, _colon, arg = request.POST.get("op", "save").partition(":")
        switched = _kind_changes(drafts)
        if switched or op != "save":
            # Editing the draft (add, remove, move) saves nothing; the page comes back with every field as typed.
            done = "" if op in ("save", "kind") else _apply_step_op(drafts, op, arg, request.POST.get("new_kind", ""))
            notice = " ".join(filter(None, [switched, done])) or _("Nothing changed.")
            form = forms.ExerciseForm(initial=request.POST.dict())
        else:
            form = forms.ExerciseForm(request.POST)
            saved, steps_error = _exercise_save(request, organization, exercise, form, drafts)
            if saved is not None:
                return redirect("exercise_detail", slug=organization.slug, pk=saved.pk)
            if not drafts:
                steps_error = steps_error or _("An exercise needs at least one step.")
    return _exercise_editor_page(request, organization, exercise, form, drafts, steps_error, notice)


def _exercise_editor_page(request, organization, exercise, form, drafts, steps_error, notice):
    has_errors = bool(form.is_bound and form.errors) or bool(steps_error) or any(d.errors for d in drafts)
    for index, draft in enumerate(drafts):
        draft.index = index
    return render_page(
        request,
        "organizer/exercise_form.html",
        organization,
        "library",
        status=form_status(has_errors),
        exercise=exercise,
        form=form,
        drafts=drafts,
        steps_error=steps_error,
        notice=notice,
        kinds=[(kind, KIND_LABELS[kind]) for kind in STEP_KINDS],
        max_steps=library_services.MAX_STEPS,
        has_errors=has_errors,
    )


@org_page("library.manage", methods=("GET", "POST"), section="library")
def exercise_new(request, organization):
    return _exercise_editor(request, organization, None)


@org_page("library.manage", methods=("GET", "POST"), section="library")
def exercise_edit(request, organization, pk):
    exercise = _visible_exercise(organization, pk)
    if exercise.is_builtin:
        messages.error(request, _("Built-in exercises are read-only; copy it to your organization to change it."))
        return redirect("exercise_detail", slug=organization.slug, pk=exercise.pk)
    return _exercise_editor(request, organization, exercise)


def _copied(request, organization, copy, program):
    """After a copy: to the copy's page, saying which program now runs it."""
    if program is None:
        messages.success(
            request, _("“%(title)s” is now in your library; change it as you like.") % {"title": copy.title}
        )
    else:
        messages.success(
            request,
            _("“%(title)s” is now in your library, and “%(program)s” uses the copy; change it as you like.")
            % {"title": copy.title, "program": program.title},
        )
    return redirect("exercise_detail", slug=organization.slug, pk=copy.pk)


@org_page("library.manage", methods=("POST",), section="library")
def exercise_copy(request, organization, pk):
    """Copy into the library; with ``program`` (the copy was asked for from that program), the program runs it."""
    exercise = _visible_exercise(organization, pk)
    program = None
    if request.POST.get("program"):
        program = get_object_or_404(Program, pk=_int(request.POST["program"]) or 0, organization=organization)
    copy = library_services.exercise_copy(exercise=exercise, organization=organization, into_program=program)
    return _copied(request, organization, copy, program)


@org_page("library.manage", methods=("POST",), section="library")
def exercise_use_in_program(request, organization, pk):
    """A copy offered to a program that still runs its original: the program runs the copy instead."""
    copy = get_object_or_404(Exercise, pk=pk, organization=organization)
    program = get_object_or_404(
        _programs_using_the_original(organization, copy), pk=_int(request.POST.get("program", "")) or 0
    )
    library_services.program_swap_exercise(
        program=program, organization=organization, exercise=copy.copied_from, replacement=copy
    )
    messages.success(
        request, _("“%(program)s” now uses your copy of “%(title)s”.") % {"program": program.title, "title": copy.title}
    )
    return redirect("exercise_detail", slug=organization.slug, pk=copy.pk)


@org_page("library.manage", methods=("GET", "POST"), section="library")
def exercise_delete(request, organization, pk):
    exercise = get_object_or_404(Exercise, pk=pk, organization=organization)
    detail = reverse("exercise_detail", args=[organization.slug, exercise.pk])
    if request.method == "GET":
        return confirm_page(
            request,
            organization,
            "library",
            title=_("Delete “%(title)s”?") % {"title": exercise.title},
            text=_("The exercise and its steps are deleted from your library."),
            button=_("Delete the exercise"),
            cancel_url=detail,
        )
    try:
        library_services.exercise_delete(exercise=exercise, organization=organization)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(detail)
    messages.success(request, _("“%(title)s” deleted.") % {"title": exercise.title})
    return redirect("library", slug=organization.slug)


# --- Library: programs --------------------------------------------------------------------------------------


def _program_row(program):
    return {
        "program": program,
        "minutes": selectors.program_total_minutes(program),
        "by_part": selectors.program_minutes_by_part(program),
        "count": len(program.items.all()),
    }


@org_page("library.view", section="programs")
def programs(request, organization):
    rows = [_program_row(p) for p in selectors.programs_visible(organization)]
    return render_page(
        request,
        "organizer/programs.html",
        organization,
        "programs",
        own=[r for r in rows if not r["program"].is_builtin],
        builtin=[r for r in rows if r["program"].is_builtin],
    )


def _visible_program(organization, pk):
    return get_object_or_404(selectors.programs_visible(organization), pk=pk)


def _own_program(organization, pk):
    return get_object_or_404(Program.objects.prefetch_related("items__exercise"), pk=pk, organization=organization)


def _program_page(request, organization, program, *, drafts=None, items_error=None, add_form=None, status=200):
    exercises = list(selectors.exercises_visible(organization))
    editable = not program.is_builtin and can(request.user, "library.manage", organization)
    if drafts is None:
        drafts = forms.item_drafts_from_program(program)
    by_id = {e.pk: e for e in exercises}
    for index, draft in enumerate(drafts):
        draft.exercise = draft.exercise or by_id.get(draft.exercise_id)
        draft.index = index
    if add_form is None:
        add_form = forms.ProgramItemAddForm(exercises=exercises)
    return render_page(
        request,
        "organizer/program_detail.html",
        organization,
        "programs",
        status=status,
        program=program,
        row=_program_row(program),
        drafts=drafts,
        items_error=items_error,
        add_form=add_form,
        editable=editable,
        max_items=library_services.MAX_ITEMS,
    )


@org_page("library.view", section="programs")
def program_detail(request, organization, pk):
    return _program_page(request, organization, _visible_program(organization, pk))


@org_page("library.manage", methods=("GET", "POST"), section="programs")
def program_new(request, organization):
    exercises = list(selectors.exercises_visible(organization))
    form = forms.ProgramCreateForm(post_data(request), exercises=exercises, initial={"format": "in_person"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            program = library_services.program_create(
                organization=organization,
                title=data["title"],
                description=data["description"],
                format=data["format"],
                items=[{"exercise": data["exercise"]}],
            )
        except DomainError as error:
            if error.field and error.field.startswith("items"):
                error.field = "exercise"
            forms.apply_error(form, error)
        else:
            messages.success(
                request, _("Program “%(title)s” created. Add more exercises below.") % {"title": program.title}
            )
            return redirect("program_detail", slug=organization.slug, pk=program.pk)
    return render_page(
        request, "organizer/program_new.html", organization, "programs", status=form_status(form), form=form
    )


@org_page("library.manage", methods=("GET", "POST"), section="programs")
def program_edit(request, organization, pk):
    program = _own_program(organization, pk)
    form = forms.ProgramForm(
        post_data(request),
        initial={"title": program.title, "format": program.format, "description": program.description},
    )
    if request.method == "POST" and form.is_valid():
        try:
            library_services.program_update(program=program, organization=organization, **form.cleaned_data)
        except DomainError as error:
            forms.apply_error(form, error)
        else:
            messages.success(request, _("Program saved."))
            return redirect("program_detail", slug=organization.slug, pk=program.pk)
    return render_page(
        request,
        "organizer/program_edit.html",
        organization,
        "programs",
        status=form_status(form),
        form=form,
        program=program,
    )


def _part_of(draft):
    try:
        return int(draft.part)
    except (TypeError, ValueError):
        return None


def _move_item(drafts, index, step):
    """Move an item one place up (step -1) or down (+1). At the edge of its part it moves into the neighbouring
    part instead (the last of part 1 moved down becomes the first of part 2), so the items stay in part order."""
    draft, other = drafts[index], drafts[index + step]
    mine, theirs = _part_of(draft), _part_of(other)
    if mine is not None and theirs is not None and mine != theirs:
        draft.part = str(theirs)
        return "", index  # _order_by_part says it moved to another part
    drafts[index], drafts[index + step] = other, draft
    title = draft.exercise.title if draft.exercise else _("the exercise")
    moved = _("Moved “%(title)s” up.") if step < 0 else _("Moved “%(title)s” down.")
    return moved % {"title": title}, index + step


def _apply_item_op(drafts, op, arg):
    """Move or remove an item; returns (message, index of the item to scroll to)."""
    try:
        index = int(arg)
    except ValueError:
        return _("Changes saved."), None
    if not 0 <= index < len(drafts):
        return _("Changes saved."), None
    if op == "remove":
        title = drafts[index].exercise.title if drafts[index].exercise else _("the exercise")
        drafts.pop(index)
        return _("Removed “%(title)s”.") % {"title": title}, max(index - 1, 0)
    if op == "copy":
        return "", index  # program_items copies it once the rest is saved
    if op == "up" and index > 0:
        return _move_item(drafts, index, -1)
    if op == "down" and index < len(drafts) - 1:
        return _move_item(drafts, index, 1)
    return _("Changes saved."), index


def _order_by_part(drafts, was_part, anchor):
    """An item given another part moves into it: the items (every part a whole number) are put in part order, each
    part keeping the order they were in. ``was_part`` maps each draft (by id) to its stored part. Returns what
    moved to another part, in words, and the index the page scrolls to (the item it scrolled to, or the first
    that moved)."""
    moved = [d for d in drafts if was_part.get(id(d)) not in (None, _part_of(d))]
    anchored = drafts[anchor] if anchor is not None else (moved[0] if moved else None)
    drafts.sort(key=_part_of)
    if anchored is not None:
        anchor = next(n for n, draft in enumerate(drafts) if draft is anchored)
    words = " ".join(
        _("Moved “%(title)s” to part %(part)s.")
        % {"title": d.exercise.title if d.exercise else _("the exercise"), "part": d.part}
        for d in moved
    )
    return words, anchor


def _place_item_error(drafts, error):
    parts = (error.field or "").split(".", 2)
    if parts[0] == "items" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(drafts):
        drafts[int(parts[1])].errors[parts[2]] = error.message
        return None
    return error.message


@org_page("library.manage", methods=("POST",), section="programs")
def program_items(request, organization, pk):
    """The builder form: every item's minutes, part and notes, plus Move up / Move down / Remove; all save."""
    program = _own_program(organization, pk)
    drafts = forms.item_drafts_from_post(request.POST, library_services.MAX_ITEMS)
    visible = {e.pk: e for e in selectors.exercises_visible(organization)}
    for draft in drafts:
        draft.exercise = visible.get(draft.exercise_id)
    stored = list(program.items.all())
    was_part = {
        id(draft): item.part
        for draft, item in zip(drafts, stored, strict=False)
        if item.exercise_id == draft.exercise_id
    }
    op, _colon, arg = request.POST.get("op", "save").partition(":")
    done, anchor = _apply_item_op(drafts, op, arg) if op != "save" else (_("Changes saved."), None)
    to_copy = drafts[anchor].exercise if op == "copy" and anchor is not None else None
    items = [draft.as_service_item() for draft in drafts]
    items_error = None
    if not any(draft.errors for draft in drafts):
        moved, anchor = _order_by_part(drafts, was_part, anchor)
        done = f"{done} {moved}".strip()
        items = [draft.as_service_item() for draft in drafts]
        try:
            library_services.program_update(program=program, organization=organization, items=items)
        except DomainError as error:
            items_error = _place_item_error(drafts, error)
        else:
            if to_copy is not None and to_copy.is_builtin:
                copy = library_services.exercise_copy(exercise=to_copy, organization=organization, into_program=program)
                return _copied(request, organization, copy, program)
            messages.success(request, done or _("Changes saved."))
            url = reverse("program_detail", args=[organization.slug, program.pk])
            return redirect(f"{url}#item-{anchor + 1}" if anchor is not None and drafts else f"{url}#items")
    return _program_page(request, organization, program, drafts=drafts, items_error=items_error, status=400)


@org_page("library.manage", methods=("POST",), section="programs")
def program_item_add(request, organization, pk):
    program = _own_program(organization, pk)
    exercises = list(selectors.exercises_visible(organization))
    form = forms.ProgramItemAddForm(request.POST, exercises=exercises)
    if form.is_valid():
        current = [
            {
                "exercise": item.exercise_id,
                "duration_minutes": item.duration_minutes,
                "part": item.part,
                "facilitator_notes": item.facilitator_notes,
            }
            for item in program.items.all()
        ]
        part = form.cleaned_data["part"] or (current[-1]["part"] if current else 1)
        new = {"exercise": form.cleaned_data["exercise"], "part": part}
        if form.cleaned_data["duration_minutes"] is not None:
            new["duration_minutes"] = form.cleaned_data["duration_minutes"]
        # Keep the items ordered by part: the new one goes after the last item of its part.
        index = sum(1 for item in current if item["part"] <= part)
        current.insert(index, new)
        try:
            library_services.program_update(program=program, organization=organization, items=current)
        except DomainError as error:
            prefix = f"items.{index}."
            if error.field and error.field.startswith(prefix):
                error.field = error.field.removeprefix(prefix)
            forms.apply_error(form, error)
        else:
            title = next(e.title for e in exercises if e.pk == new["exercise"])
            messages.success(request, _("Added “%(title)s” to part %(part)s.") % {"title": title, "part": part})
            url = reverse("program_detail", args=[organization.slug, program.pk])
            return redirect(f"{url}#item-{index + 1}")
    program.refresh_from_db()
    return _program_page(request, organization, program, add_form=form, status=400)


@org_page("library.manage", methods=("POST",), section="programs")
def program_copy(request, organization, pk):
    program = _visible_program(organization, pk)
    copy = library_services.program_copy(program=program, organization=organization)
    messages.success(request, _("“%(title)s” is now in your programs; change it as you like.") % {"title": copy.title})
    return redirect("program_detail", slug=organization.slug, pk=copy.pk)


@org_page("library.manage", methods=("GET", "POST"), section="programs")
def program_delete(request, organization, pk):
    program = _own_program(organization, pk)
    detail = reverse("program_detail", args=[organization.slug, program.pk])
    if request.method == "GET":
        return confirm_page(
            request,
            organization,
            "programs",
            title=_("Delete “%(title)s”?") % {"title": program.title},
            text=_("The program is deleted; its exercises stay in the library."),
            button=_("Delete the program"),
            cancel_url=detail,
        )
    try:
        library_services.program_delete(program=program, organization=organization)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(detail)
    messages.success(request, _("“%(title)s” deleted.") % {"title": program.title})
    return redirect("programs", slug=organization.slug)
