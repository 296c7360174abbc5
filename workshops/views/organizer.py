"""Organizer pages: server-rendered, plain forms and POST-redirect-GET, no JavaScript needed.

Every page under /o/<slug>/ goes through ``org_page``: the organization comes
from ``organization_of`` (404 for anyone not on its staff) and the role must
allow the page's action (403 otherwise). Writes go through the services; a
DomainError is shown next to the field it names, with everything typed kept.
Times are entered and shown in the workshop's time zone.
"""

import zoneinfo
from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from config.links import absolute_url
from workshops import calendar, forms
from workshops.errors import DomainError
from workshops.models import Enrollment, Exercise, Membership, Program, StaffInvitation, Workshop
from workshops.permissions import ACTIONS, can, forget_roles, role_of
from workshops.selectors import enrollment as enrollment_selectors
from workshops.selectors import organizations as selectors
from workshops.services import enrollment as enrollment_services
from workshops.services import library as library_services
from workshops.services import organizations as org_services
from workshops.services import scheduling as scheduling_services
from workshops.steps import KIND_LABELS, STEP_KINDS
from workshops.timezones import timezone_choices

ACTION_WORDS = {
    "organization.view": "seeing this organization",
    "organization.manage": "changing the organization's settings (owners only)",
    "staff.view": "seeing the staff",
    "staff.manage": "managing the staff",
    "library.view": "seeing the library",
    "library.manage": "changing exercises and programs",
    "schedule.view": "seeing the schedule",
    "schedule.manage": "changing workshops and sessions",
    "enrollment.view": "seeing enrollments",
    "enrollment.manage": "managing enrollments",
    "feedback.report": "reading the feedback report",
    "feedback.design": "designing the post-session survey",
}


# --- Plumbing --------------------------------------------------------------------------------------------


def _context(request, organization, section, **extra):
    may = {action.replace(".", "_"): can(request.user, action, organization) for action in ACTIONS}
    return {
        "organization": organization,
        "section": section,
        "role": role_of(request.user, organization),
        "may": may,
        **extra,
    }


def _render(request, template, organization, section, *, status=200, **extra):
    return render(request, template, _context(request, organization, section, **extra), status=status)


def org_page(action, *, methods=("GET",), section=""):
    """An organization's page: members only (404 for others), and the role must allow ``action`` (403)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            organization = selectors.organization_of(request.user, slug)
            if not can(request.user, action, organization):
                return _render(
                    request,
                    "organizer/forbidden.html",
                    organization,
                    section,
                    status=403,
                    needed=ACTION_WORDS[action],
                )
            return view(request, organization, *args, **kwargs)

        return login_required(require_http_methods(list(methods))(wrapper))

    return decorator


def _status(form_or_flag):
    has_errors = form_or_flag if isinstance(form_or_flag, bool) else bool(form_or_flag.errors)
    return 400 if has_errors else 200


def _post_data(request):
    return request.POST if request.method == "POST" else None


def _naive_local(value, timezone_name):
    """An aware datetime as the wall-clock time of a zone, for a datetime-local input."""
    if value is None:
        return None
    return timezone.localtime(value, zoneinfo.ZoneInfo(timezone_name)).replace(tzinfo=None)


def _confirm(request, organization, section, *, title, text, button, cancel_url, danger=True):
    return _render(
        request,
        "organizer/confirm.html",
        organization,
        section,
        title=title,
        text=text,
        button=button,
        cancel_url=cancel_url,
        danger=danger,
    )


# --- Organization --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def org_create(request):
    form = forms.OrganizationCreateForm(_post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            organization = org_services.organization_create(
                name=form.cleaned_data["name"], owner=request.user, timezone_name=form.cleaned_data["timezone"]
            )
        except DomainError as error:
            forms.apply_error(form, error)
        else:
            forget_roles(request.user)
            messages.success(request, f"{organization.name} is ready. Start with the library or a program.")
            return redirect("org_dashboard", slug=organization.slug)
    return render(
        request,
        "organizer/org_create.html",
        {
            "form": form,
            "organizations": selectors.organizations_of(request.user),
            "timezones": timezone_choices(),
        },
        status=_status(form),
    )


@org_page("organization.view", section="dashboard")
def dashboard(request, organization):
    now = timezone.now()
    workshops = []
    for workshop in selectors.workshops_of(organization).prefetch_related("sessions"):
        sessions = list(workshop.sessions.all())
        if workshop.status == Workshop.Status.CANCELLED or (sessions and sessions[-1].ends_at <= now):
            continue
        workshops.append({"workshop": workshop, "first": sessions[0] if sessions else None, "count": len(sessions)})
    workshops.sort(key=lambda row: (row["first"] is None, row["first"].starts_at if row["first"] else now))
    return _render(
        request,
        "organizer/dashboard.html",
        organization,
        "dashboard",
        workshops=workshops,
        sessions=selectors.upcoming_sessions(organization, now=now, limit=20),
    )


@org_page("organization.manage", methods=("GET", "POST"), section="settings")
def org_settings(request, organization):
    form = forms.OrganizationSettingsForm(
        _post_data(request),
        initial={
            "name": organization.name,
            "timezone": organization.timezone,
            "anonymity_k": organization.anonymity_k,
            "retention_days": organization.retention_days,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            org_services.organization_update(
                organization=organization,
                name=data["name"],
                timezone_name=data["timezone"],
                anonymity_k=data["anonymity_k"],
                retention_days=data["retention_days"],
            )
        except DomainError as error:
            organization.refresh_from_db()
            forms.apply_error(form, error)
        else:
            messages.success(request, "Settings saved.")
            return redirect("org_settings", slug=organization.slug)
    return _render(
        request,
        "organizer/settings.html",
        organization,
        "settings",
        status=_status(form),
        form=form,
        timezones=timezone_choices(),
    )


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
    return _render(
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
        {"step": step, "kind": KIND_LABELS.get(step.kind, step.kind), "config": forms.pretty_json(step.config)}
        for step in exercise.steps.all()
    ]
    used_by = Program.objects.filter(items__exercise=exercise, organization=organization).distinct()
    return _render(
        request,
        "organizer/exercise_detail.html",
        organization,
        "library",
        exercise=exercise,
        steps=steps,
        minutes=forms.exercise_minutes(exercise),
        used_by=used_by,
    )


def _apply_step_op(drafts, op, arg, new_kind):
    """Add, remove or move a step in the unsaved draft; returns what happened, for the page."""
    if op == "add":
        if len(drafts) >= library_services.MAX_STEPS:
            return f"An exercise has at most {library_services.MAX_STEPS} steps."
        drafts.append(forms.new_step_draft(new_kind))
        return f"Step {len(drafts)} added at the end."
    try:
        index = int(arg)
    except ValueError:
        return "Nothing changed."
    if not 0 <= index < len(drafts):
        return "Nothing changed."
    if op == "remove":
        removed = drafts.pop(index)
        return f"Step {index + 1} ({removed.title or 'untitled'}) removed."
    if op == "up" and index > 0:
        drafts[index - 1], drafts[index] = drafts[index], drafts[index - 1]
        return f"Step {index + 1} moved up."
    if op == "down" and index < len(drafts) - 1:
        drafts[index + 1], drafts[index] = drafts[index], drafts[index + 1]
        return f"Step {index + 1} moved down."
    return "Nothing changed."


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


def _exercise_editor(request, organization, exercise):
    steps_error = notice = None
    if request.method == "POST":
        drafts = forms.step_drafts_from_post(request.POST, library_services.MAX_STEPS)
        op, _, arg = request.POST.get("op", "save").partition(":")
        if op != "save":
            # Editing the draft (add, remove, move) saves nothing; the page comes back with every field as typed.
            notice = _apply_step_op(drafts, op, arg, request.POST.get("new_kind", ""))
            form = forms.ExerciseForm(initial=request.POST.dict())
        else:
            form = forms.ExerciseForm(request.POST)
            steps = [draft.check() for draft in drafts]
            if form.is_valid() and not any(draft.errors for draft in drafts):
                fields = {name: form.cleaned_data[name] for name in ("title", "summary", "practice")}
                try:
                    if exercise is None:
                        exercise = library_services.exercise_create(organization=organization, steps=steps, **fields)
                        done = f"Exercise “{exercise.title}” created."
                    else:
                        library_services.exercise_update(
                            exercise=exercise, organization=organization, steps=steps, **fields
                        )
                        done = f"Exercise “{exercise.title}” saved."
                except DomainError as error:
                    steps_error = _place_exercise_error(form, drafts, error)
                else:
                    messages.success(request, done)
                    return redirect("exercise_detail", slug=organization.slug, pk=exercise.pk)
            if not drafts:
                steps_error = steps_error or "An exercise needs at least one step."
    else:
        if exercise is None:
            form = forms.ExerciseForm()
            drafts = [forms.new_step_draft("instruction")]
        else:
            form = forms.ExerciseForm(
                initial={"title": exercise.title, "practice": exercise.practice, "summary": exercise.summary}
            )
            drafts = forms.step_drafts_from_exercise(exercise)
    has_errors = bool(form.is_bound and form.errors) or bool(steps_error) or any(d.errors for d in drafts)
    for index, draft in enumerate(drafts):
        draft.index = index
    return _render(
        request,
        "organizer/exercise_form.html",
        organization,
        "library",
        status=_status(has_errors),
        exercise=exercise,
        form=form,
        drafts=drafts,
        steps_error=steps_error,
        notice=notice,
        kinds=[(kind, KIND_LABELS[kind]) for kind in STEP_KINDS],
        examples=[(KIND_LABELS[kind], forms.pretty_json(forms.EXAMPLE_CONFIGS[kind])) for kind in STEP_KINDS],
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
        messages.error(request, "Built-in exercises are read-only; copy it to your organization to change it.")
        return redirect("exercise_detail", slug=organization.slug, pk=exercise.pk)
    return _exercise_editor(request, organization, exercise)


@org_page("library.manage", methods=("POST",), section="library")
def exercise_copy(request, organization, pk):
    exercise = _visible_exercise(organization, pk)
    copy = library_services.exercise_copy(exercise=exercise, organization=organization)
    messages.success(request, f"“{copy.title}” is now in your library; change it as you like.")
    return redirect("exercise_detail", slug=organization.slug, pk=copy.pk)


@org_page("library.manage", methods=("GET", "POST"), section="library")
def exercise_delete(request, organization, pk):
    exercise = get_object_or_404(Exercise, pk=pk, organization=organization)
    detail = reverse("exercise_detail", args=[organization.slug, exercise.pk])
    if request.method == "GET":
        return _confirm(
            request,
            organization,
            "library",
            title=f"Delete “{exercise.title}”?",
            text="The exercise and its steps are deleted from your library.",
            button="Delete the exercise",
            cancel_url=detail,
        )
    try:
        library_services.exercise_delete(exercise=exercise, organization=organization)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(detail)
    messages.success(request, f"“{exercise.title}” deleted.")
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
    return _render(
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
    return _render(
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
    form = forms.ProgramCreateForm(_post_data(request), exercises=exercises, initial={"format": "in_person"})
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
            messages.success(request, f"Program “{program.title}” created. Add more exercises below.")
            return redirect("program_detail", slug=organization.slug, pk=program.pk)
    return _render(request, "organizer/program_new.html", organization, "programs", status=_status(form), form=form)


@org_page("library.manage", methods=("GET", "POST"), section="programs")
def program_edit(request, organization, pk):
    program = _own_program(organization, pk)
    form = forms.ProgramForm(
        _post_data(request),
        initial={"title": program.title, "format": program.format, "description": program.description},
    )
    if request.method == "POST" and form.is_valid():
        try:
            library_services.program_update(program=program, organization=organization, **form.cleaned_data)
        except DomainError as error:
            forms.apply_error(form, error)
        else:
            messages.success(request, "Program saved.")
            return redirect("program_detail", slug=organization.slug, pk=program.pk)
    return _render(
        request,
        "organizer/program_edit.html",
        organization,
        "programs",
        status=_status(form),
        form=form,
        program=program,
    )


def _apply_item_op(drafts, op, arg):
    """Move or remove an item; returns (message, index of the item to scroll to)."""
    try:
        index = int(arg)
    except ValueError:
        return "Changes saved.", None
    if not 0 <= index < len(drafts):
        return "Changes saved.", None
    title = drafts[index].exercise.title if drafts[index].exercise else "the exercise"
    if op == "remove":
        drafts.pop(index)
        return f"Removed “{title}”.", max(index - 1, 0)
    if op == "up" and index > 0:
        drafts[index - 1], drafts[index] = drafts[index], drafts[index - 1]
        return f"Moved “{title}” up.", index - 1
    if op == "down" and index < len(drafts) - 1:
        drafts[index + 1], drafts[index] = drafts[index], drafts[index + 1]
        return f"Moved “{title}” down.", index + 1
    return "Changes saved.", index


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
    op, _, arg = request.POST.get("op", "save").partition(":")
    done, anchor = _apply_item_op(drafts, op, arg) if op != "save" else ("Changes saved.", None)
    items = [draft.as_service_item() for draft in drafts]
    items_error = None
    if not any(draft.errors for draft in drafts):
        try:
            library_services.program_update(program=program, organization=organization, items=items)
        except DomainError as error:
            items_error = _place_item_error(drafts, error)
        else:
            messages.success(request, done)
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
            messages.success(request, f"Added “{title}” to part {part}.")
            url = reverse("program_detail", args=[organization.slug, program.pk])
            return redirect(f"{url}#item-{index + 1}")
    program.refresh_from_db()
    return _program_page(request, organization, program, add_form=form, status=400)


@org_page("library.manage", methods=("POST",), section="programs")
def program_copy(request, organization, pk):
    program = _visible_program(organization, pk)
    copy = library_services.program_copy(program=program, organization=organization)
    messages.success(request, f"“{copy.title}” is now in your programs; change it as you like.")
    return redirect("program_detail", slug=organization.slug, pk=copy.pk)


@org_page("library.manage", methods=("GET", "POST"), section="programs")
def program_delete(request, organization, pk):
    program = _own_program(organization, pk)
    detail = reverse("program_detail", args=[organization.slug, program.pk])
    if request.method == "GET":
        return _confirm(
            request,
            organization,
            "programs",
            title=f"Delete “{program.title}”?",
            text="The program is deleted; its exercises stay in the library.",
            button="Delete the program",
            cancel_url=detail,
        )
    try:
        library_services.program_delete(program=program, organization=organization)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(detail)
    messages.success(request, f"“{program.title}” deleted.")
    return redirect("programs", slug=organization.slug)


# --- Workshops ------------------------------------------------------------------------------------------------


def _workshop(organization, pk):
    return get_object_or_404(
        Workshop.objects.select_related("program", "organization"), pk=pk, organization=organization
    )


@org_page("schedule.view", section="workshops")
def workshops(request, organization):
    rows = []
    for workshop in selectors.workshops_of(organization).prefetch_related("sessions"):
        sessions = list(workshop.sessions.all())
        rows.append({"workshop": workshop, "first": sessions[0] if sessions else None, "count": len(sessions)})
    return _render(request, "organizer/workshops.html", organization, "workshops", rows=rows)


def _window_to_utc(form, timezone_name):
    """The registration window typed in local time, as UTC; a DST-skipped time is an error on its field."""
    window = {}
    for name in ("registration_opens_at", "registration_closes_at"):
        value = form.cleaned_data.get(name)
        try:
            window[name] = scheduling_services.local_to_utc(value, timezone_name, field=name) if value else None
        except DomainError as error:
            forms.apply_error(form, error)
    return window


def _workshop_form_save(request, organization, form, programs_by_id, workshop=None):
    """Create or update from a valid form; returns the workshop, or None with errors on the form."""
    data = form.cleaned_data
    program = programs_by_id.get(data["program"])
    if program is None:
        form.add_error("program", "Choose a program of your library.")
        return None
    window = _window_to_utc(form, data["timezone"])
    if form.errors:
        return None
    fields = {
        "title": data["title"],
        "program": program,
        "format": data["format"],
        "venue": data["venue"],
        "video_link": data["video_link"],
        "capacity_couples": data["capacity_couples"],
        "description": data["description"],
        **window,
    }
    try:
        if workshop is None:
            return scheduling_services.workshop_create(
                organization=organization, timezone_name=data["timezone"], **fields
            )
        return scheduling_services.workshop_update(workshop=workshop, timezone=data["timezone"], **fields)
    except DomainError as error:
        forms.apply_error(form, error)
        return None


@org_page("schedule.manage", methods=("GET", "POST"), section="workshops")
def workshop_new(request, organization):
    programs_list = list(selectors.programs_visible(organization))
    initial = {"timezone": organization.timezone, "format": Workshop.Format.IN_PERSON}
    if request.GET.get("program", "").isdigit():
        initial["program"] = int(request.GET["program"])
    form = forms.WorkshopForm(_post_data(request), programs=programs_list, initial=initial)
    if request.method == "POST" and form.is_valid():
        workshop = _workshop_form_save(request, organization, form, {p.pk: p for p in programs_list})
        if workshop is not None:
            messages.success(request, f"“{workshop.title}” created as a draft. Add its sessions, then publish it.")
            return redirect("workshop_detail", slug=organization.slug, pk=workshop.pk)
    return _render(
        request,
        "organizer/workshop_form.html",
        organization,
        "workshops",
        status=_status(form),
        form=form,
        workshop=None,
        has_programs=bool(programs_list),
        timezones=timezone_choices(),
    )


@org_page("schedule.manage", methods=("GET", "POST"), section="workshops")
def workshop_edit(request, organization, pk):
    workshop = _workshop(organization, pk)
    programs_list = list(selectors.programs_visible(organization))
    initial = {
        "title": workshop.title,
        "program": workshop.program_id,
        "format": workshop.format,
        "venue": workshop.venue,
        "video_link": workshop.video_link,
        "timezone": workshop.timezone,
        "capacity_couples": workshop.capacity_couples,
        "registration_opens_at": _naive_local(workshop.registration_opens_at, workshop.timezone),
        "registration_closes_at": _naive_local(workshop.registration_closes_at, workshop.timezone),
        "description": workshop.description,
    }
    form = forms.WorkshopForm(_post_data(request), programs=programs_list, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _workshop_form_save(request, organization, form, {p.pk: p for p in programs_list}, workshop)
        if saved is not None:
            messages.success(request, "Workshop saved.")
            return redirect("workshop_detail", slug=organization.slug, pk=workshop.pk)
    return _render(
        request,
        "organizer/workshop_form.html",
        organization,
        "workshops",
        status=_status(form),
        form=form,
        workshop=workshop,
        has_programs=True,
        timezones=timezone_choices(),
    )


def _facilitators_form(organization, workshop, data=None):
    memberships = (
        scheduling_services.facilitator_candidates(organization)
        .select_related("user")
        .order_by("user__first_name", "user__email")
    )
    return forms.FacilitatorsForm(
        data,
        memberships=memberships,
        initial={"facilitators": [str(pk) for pk in workshop.facilitators.values_list("pk", flat=True)]},
    )


@org_page("schedule.view", section="workshops")
def workshop_detail(request, organization, pk):
    workshop = _workshop(organization, pk)
    sessions = list(workshop.sessions.all())
    parts = max((item.part for item in workshop.program.items.all()), default=1)
    return _render(
        request,
        "organizer/workshop_detail.html",
        organization,
        "workshops",
        workshop=workshop,
        sessions=sessions,
        parts=parts,
        now=timezone.now(),
        counts=enrollment_selectors.enrollment_counts(workshop),
        facilitators=workshop.facilitators.order_by("first_name", "email"),
        public_url=absolute_url(reverse("workshop_register", args=[workshop.public_id])),
        feed_url=absolute_url(reverse("workshop_feed", args=[workshop.pk, calendar.workshop_feed_token(workshop)])),
        session_form=forms.SessionForm(),
        facilitators_form=_facilitators_form(organization, workshop),
    )


@org_page("schedule.manage", methods=("GET", "POST"), section="workshops")
def session_new(request, organization, pk):
    workshop = _workshop(organization, pk)
    form = forms.SessionForm(_post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            session = scheduling_services.session_create(workshop=workshop, **form.cleaned_data)
        except DomainError as error:
            forms.apply_error(form, error)
        else:
            local = _naive_local(session.starts_at, workshop.timezone)
            messages.success(request, f"Session added: {local:%a %d %b %Y, %H:%M} ({workshop.timezone}).")
            return redirect(reverse("workshop_detail", args=[organization.slug, workshop.pk]) + "#sessions")
    return _render(
        request,
        "organizer/session_form.html",
        organization,
        "workshops",
        status=_status(form),
        form=form,
        workshop=workshop,
        session=None,
    )


@org_page("schedule.manage", methods=("GET", "POST"), section="workshops")
def session_edit(request, organization, pk, session_pk):
    workshop = _workshop(organization, pk)
    session = get_object_or_404(workshop.sessions, pk=session_pk)
    form = forms.SessionForm(
        _post_data(request),
        initial={
            "title": session.title,
            "starts_at": _naive_local(session.starts_at, workshop.timezone),
            "ends_at": _naive_local(session.ends_at, workshop.timezone),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            scheduling_services.session_update(session=session, **form.cleaned_data)
        except DomainError as error:
            session.refresh_from_db()
            forms.apply_error(form, error)
        else:
            messages.success(request, "Session saved.")
            return redirect(reverse("workshop_detail", args=[organization.slug, workshop.pk]) + "#sessions")
    return _render(
        request,
        "organizer/session_form.html",
        organization,
        "workshops",
        status=_status(form),
        form=form,
        workshop=workshop,
        session=session,
    )


@org_page("schedule.manage", methods=("GET", "POST"), section="workshops")
def session_delete(request, organization, pk, session_pk):
    workshop = _workshop(organization, pk)
    session = get_object_or_404(workshop.sessions, pk=session_pk)
    detail = reverse("workshop_detail", args=[organization.slug, workshop.pk]) + "#sessions"
    if request.method == "GET":
        local = _naive_local(session.starts_at, workshop.timezone)
        return _confirm(
            request,
            organization,
            "workshops",
            title="Delete this session?",
            text=f"{session.title or 'The session'} on {local:%a %d %b %Y, %H:%M} ({workshop.timezone}) is removed "
            "from the schedule and from every calendar feed.",
            button="Delete the session",
            cancel_url=detail,
        )
    try:
        scheduling_services.session_delete(session=session)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Session deleted.")
    return redirect(detail)


@org_page("schedule.manage", methods=("GET", "POST"), section="workshops")
def workshop_facilitators(request, organization, pk):
    workshop = _workshop(organization, pk)
    form = _facilitators_form(organization, workshop, _post_data(request))
    if request.method == "POST" and form.is_valid():
        ids = {int(pk) for pk in form.cleaned_data["facilitators"]}
        users = list(get_user_model().objects.filter(pk__in=ids).order_by("pk"))
        try:
            scheduling_services.workshop_set_facilitators(workshop=workshop, users=users)
        except DomainError as error:
            forms.apply_error(form, error)
        else:
            messages.success(request, "Facilitators saved." if users else "No facilitators assigned.")
            return redirect(reverse("workshop_detail", args=[organization.slug, workshop.pk]) + "#facilitators")
    return _render(
        request,
        "organizer/workshop_facilitators.html",
        organization,
        "workshops",
        status=_status(form),
        form=form,
        workshop=workshop,
    )


@org_page("schedule.manage", methods=("POST",), section="workshops")
def workshop_publish(request, organization, pk):
    workshop = _workshop(organization, pk)
    try:
        scheduling_services.workshop_publish(workshop=workshop)
    except DomainError as error:
        messages.error(request, f"Not published: {error.message}")
    else:
        messages.success(request, "Published: registration is open through the public link.")
    return redirect("workshop_detail", slug=organization.slug, pk=workshop.pk)


@org_page("schedule.manage", methods=("GET", "POST"), section="workshops")
def workshop_cancel(request, organization, pk):
    workshop = _workshop(organization, pk)
    detail = reverse("workshop_detail", args=[organization.slug, workshop.pk])
    if request.method == "GET":
        return _confirm(
            request,
            organization,
            "workshops",
            title=f"Cancel “{workshop.title}”?",
            text="Registration closes and the sessions show as cancelled in calendar feeds. "
            "This can't be undone. Couples are not e-mailed automatically: tell them yourselves.",
            button="Cancel the workshop",
            cancel_url=detail,
        )
    try:
        scheduling_services.workshop_cancel(workshop=workshop)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"“{workshop.title}” is cancelled.")
    return redirect(detail)


@org_page("schedule.manage", methods=("POST",), section="workshops")
def workshop_calendar_rotate(request, organization, pk):
    workshop = _workshop(organization, pk)
    scheduling_services.workshop_rotate_calendar(workshop=workshop)
    messages.success(request, "New calendar link made; the old one no longer works.")
    return redirect(reverse("workshop_detail", args=[organization.slug, workshop.pk]) + "#links")


# --- Enrollments ----------------------------------------------------------------------------------------------


@org_page("schedule.view", section="workshops")
def enrollments(request, organization, pk):
    workshop = _workshop(organization, pk)
    # Applies expired offers and offers free seats, so what is shown is what holds now.
    enrollment_services.waitlist_refresh(workshop=workshop)
    return _render(
        request,
        "organizer/enrollments.html",
        organization,
        "workshops",
        workshop=workshop,
        counts=enrollment_selectors.enrollment_counts(workshop),
        confirmed=workshop.enrollments.filter(status=Enrollment.Status.CONFIRMED).order_by("confirmed_at", "id"),
        waitlist=enrollment_selectors.waitlist(workshop),
        cancelled=workshop.enrollments.filter(status=Enrollment.Status.CANCELLED).order_by("-cancelled_at", "id"),
    )


def _enrollment(workshop, pk):
    return get_object_or_404(Enrollment, pk=pk, workshop=workshop)


@org_page("enrollment.manage", methods=("GET", "POST"), section="workshops")
def enrollment_cancel(request, organization, pk, enrollment_pk):
    workshop = _workshop(organization, pk)
    enrollment = _enrollment(workshop, enrollment_pk)
    back = reverse("enrollments", args=[organization.slug, workshop.pk])
    if request.method == "GET":
        spot = "place" if enrollment.status == Enrollment.Status.CONFIRMED else "waitlist spot"
        return _confirm(
            request,
            organization,
            "workshops",
            title=f"Cancel {enrollment.display_name}'s {spot}?",
            text="They get an e-mail saying their place is cancelled. A freed seat is offered to the next "
            "couple on the waitlist by e-mail.",
            button=f"Cancel the {spot}",
            cancel_url=back,
        )
    try:
        enrollment_services.enrollment_cancel(enrollment=enrollment, by="organizer")
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{enrollment.display_name} is cancelled.")
    return redirect(back)


@org_page("enrollment.manage", methods=("POST",), section="workshops")
def enrollment_resend(request, organization, pk, enrollment_pk):
    workshop = _workshop(organization, pk)
    enrollment = _enrollment(workshop, enrollment_pk)
    try:
        enrollment_services.enrollment_resend_invitation(enrollment=enrollment)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"A new personal link went to {enrollment.display_name}; the old one stopped working."
        )
    return redirect("enrollments", slug=organization.slug, pk=workshop.pk)


# --- Staff -----------------------------------------------------------------------------------------------------


def _staff_page(request, organization, *, invite_form=None, role_errors=None, status=200):
    by_role = role_of(request.user, organization)
    pending = [
        invitation
        for invitation in StaffInvitation.objects.filter(
            organization=organization, accepted_at__isnull=True, revoked_at__isnull=True
        ).order_by("-created_at")
        if invitation.state(timezone.now()) == "pending"
    ]
    role_errors = role_errors or {}
    members = [
        {"membership": m, "error": role_errors.get(m.pk), "is_me": m.user_id == request.user.pk}
        for m in selectors.memberships_of(organization)
    ]
    return _render(
        request,
        "organizer/staff.html",
        organization,
        "staff",
        status=status,
        members=members,
        role_choices=forms.role_choices(by_role),
        invitations=pending,
        invite_form=invite_form or forms.StaffInviteForm(by_role=by_role),
    )


@org_page("staff.view", section="staff")
def staff(request, organization):
    return _staff_page(request, organization)


@org_page("staff.manage", methods=("POST",), section="staff")
def staff_invite(request, organization):
    by_role = role_of(request.user, organization)
    form = forms.StaffInviteForm(request.POST, by_role=by_role)
    if form.is_valid():
        try:
            invitation, _ = org_services.staff_invite(
                organization=organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
                by_role=by_role,
            )
        except DomainError as error:
            forms.apply_error(form, error)
        else:
            messages.success(request, f"Invitation e-mailed to {invitation.email} ({invitation.get_role_display()}).")
            return redirect("staff", slug=organization.slug)
    return _staff_page(request, organization, invite_form=form, status=400)


@org_page("staff.manage", methods=("POST",), section="staff")
def membership_role(request, organization, membership_pk):
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_pk, organization=organization
    )
    form = forms.MembershipRoleForm(request.POST)
    if form.is_valid():
        try:
            org_services.membership_change_role(
                membership=membership, role=form.cleaned_data["role"], by_role=role_of(request.user, organization)
            )
        except DomainError as error:
            return _staff_page(request, organization, role_errors={membership.pk: error.message}, status=400)
        forget_roles(request.user)
        messages.success(request, f"{membership.user.email} is now {membership.get_role_display().lower()}.")
        if not can(request.user, "staff.view", organization):
            return redirect("org_dashboard", slug=organization.slug)
        return redirect("staff", slug=organization.slug)
    return _staff_page(request, organization, role_errors={membership.pk: "Choose a role."}, status=400)


@org_page("staff.manage", methods=("GET", "POST"), section="staff")
def membership_remove(request, organization, membership_pk):
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_pk, organization=organization
    )
    is_me = membership.user_id == request.user.pk
    if request.method == "GET":
        return _confirm(
            request,
            organization,
            "staff",
            title=f"Remove {'yourself' if is_me else membership.user.email} from {organization.name}?",
            text="They lose access to its pages at once. Workshops they facilitate keep them listed until you "
            "change the facilitators.",
            button="Remove from the staff",
            cancel_url=reverse("staff", args=[organization.slug]),
        )
    try:
        org_services.membership_remove(membership=membership, by_role=role_of(request.user, organization))
    except DomainError as error:
        return _staff_page(request, organization, role_errors={membership.pk: error.message}, status=400)
    forget_roles(request.user)
    if is_me:
        messages.success(request, f"You left {organization.name}.")
        return redirect("org_create")
    messages.success(request, f"{membership.user.email} is no longer on the staff.")
    return redirect("staff", slug=organization.slug)


@org_page("staff.manage", methods=("POST",), section="staff")
def invitation_revoke(request, organization, invitation_pk):
    invitation = get_object_or_404(StaffInvitation, pk=invitation_pk, organization=organization)
    try:
        org_services.staff_invitation_revoke(invitation=invitation)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"The invitation to {invitation.email} no longer works.")
    return redirect("staff", slug=organization.slug)
