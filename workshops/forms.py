"""Forms of the organizer pages.

They only parse what was typed (numbers, dates); the rules live in the
services, whose DomainError the views put next to the field it names
(``apply_error``). Datetimes are parsed as naive wall-clock times: the services
interpret them in the workshop's time zone.
"""

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.template import loader

from workshops import emails
from workshops.errors import DomainError
from workshops.models import RegistrationQuestion, Workshop
from workshops.models.library import Program
from workshops.models.organizations import Role
from workshops.services import reminders
from workshops.timezones import available_timezones

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"
LOCAL_INPUT_FORMATS = (LOCAL_INPUT_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")


def apply_error(form, error: DomainError):
    """Show a service's refusal next to the field it names, or above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


# --- Widgets and fields -------------------------------------------------------------------------


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=LOCAL_INPUT_FORMAT)


class LocalDateTimeField(forms.Field):
    """A wall-clock date and time without a zone (an <input type=datetime-local>).

    Django's DateTimeField would attach the server's zone; the services want the
    naive value to interpret it in the workshop's zone (and to refuse times that
    a DST change skips).
    """

    widget = LocalDateTimeInput
    default_error_messages = {"invalid": "Enter a date and time, such as 2030-05-10 10:00."}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        text = str(value).strip()
        for fmt in LOCAL_INPUT_FORMATS:
            try:
                return datetime.strptime(text, fmt)
            except ValueError:
                continue
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class TimezoneInput(forms.TextInput):
    """A text input suggesting IANA names from the page's <datalist id="timezones"> (no JavaScript)."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"list": "timezones", "autocomplete": "off", "spellcheck": "false", **(attrs or {})})


def timezone_field(**kwargs):
    kwargs.setdefault("help_text", "An IANA name such as Europe/Berlin or America/New_York.")
    return forms.CharField(max_length=64, widget=TimezoneInput(), **kwargs)


def clean_timezone_name(value):
    value = (value or "").strip()
    if value not in available_timezones():
        raise ValidationError(f"{value!r} is not a time zone name such as Europe/Berlin.")
    return value


def number_input(minimum=None, maximum=None):
    attrs = {"inputmode": "numeric", "class": "short"}
    if minimum is not None:
        attrs["min"] = minimum
    if maximum is not None:
        attrs["max"] = maximum
    return forms.NumberInput(attrs=attrs)


# --- Organization ----------------------------------------------------------------------------------


class OrganizationCreateForm(forms.Form):
    name = forms.CharField(max_length=120, label="Name of the organization")
    timezone = timezone_field(label="Time zone", initial="UTC")

    def clean_timezone(self):
        return clean_timezone_name(self.cleaned_data["timezone"])


class OrganizationSettingsForm(forms.Form):
    name = forms.CharField(max_length=120)
    timezone = timezone_field(label="Time zone")
    anonymity_k = forms.IntegerField(
        label="Anonymity threshold (k)",
        widget=number_input(3, 50),
        help_text=(
            "Anonymous feedback is shown only once at least k answers from at least three couples can be "
            "released together, so no single answer can be traced back to a couple. Higher is safer; "
            "the minimum is 3. Free-text answers always need at least max(k, 8)."
        ),
    )
    reminder_days = forms.CharField(
        required=False,
        max_length=60,
        label="Reminders before each session (days)",
        help_text="Confirmed couples get an e-mail this many days before each session, e.g. 7, 1 for a week and a "
        "day before. Empty or none: no reminders. A workshop can have its own schedule.",
    )
    retention_days = forms.IntegerField(
        label="Keep couple content for (days)",
        widget=number_input(1, 365),
        help_text=(
            "What couples write in their private spaces is deleted this many days after a workshop's last "
            "session (1 to 365). Couples see the deletion date and can save their agreements to their phones."
        ),
    )

    def clean_timezone(self):
        return clean_timezone_name(self.cleaned_data["timezone"])

    def clean_reminder_days(self):
        return clean_reminder_days(self.cleaned_data["reminder_days"])


# --- Staff -------------------------------------------------------------------------------------------


def role_choices(by_role):
    """Only an owner can hand out the owner role."""
    return [(value, label) for value, label in Role.choices if value != Role.OWNER or by_role == Role.OWNER]


class StaffInviteForm(forms.Form):
    email = forms.EmailField(label="E-mail", widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(choices=Role.choices, initial=Role.FACILITATOR)

    def __init__(self, *args, by_role, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(by_role)


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


# --- Programs ------------------------------------------------------------------------------------------


class ProgramForm(forms.Form):
    title = forms.CharField(max_length=120)
    format = forms.ChoiceField(choices=Program.FORMATS)
    description = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


def exercise_minutes(exercise):
    """Total minutes of an exercise's steps (uses prefetched steps, unlike Exercise.total_minutes)."""
    return sum(step.duration_minutes for step in exercise.steps.all())


def exercise_choices(exercises):
    """Grouped choices: the organization's own exercises first, then the built-in library."""
    own = [(e.pk, f"{e.title} ({exercise_minutes(e)} min)") for e in exercises if not e.is_builtin]
    builtin = [(e.pk, f"{e.title} ({exercise_minutes(e)} min)") for e in exercises if e.is_builtin]
    choices = [("", "Choose an exercise")]
    if own:
        choices.append(("Your exercises", own))
    if builtin:
        choices.append(("Built-in library", builtin))
    return choices


class ProgramCreateForm(ProgramForm):
    exercise = forms.TypedChoiceField(coerce=int, label="First exercise")

    def __init__(self, *args, exercises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exercise"].choices = exercise_choices(exercises)


class ProgramItemAddForm(forms.Form):
    exercise = forms.TypedChoiceField(coerce=int)
    part = forms.IntegerField(
        required=False, widget=number_input(1, 14), help_text="Which session runs it; empty: the last part."
    )
    duration_minutes = forms.IntegerField(
        required=False,
        label="Minutes",
        widget=number_input(1, 600),
        help_text="Empty: the exercise's own total.",
    )

    def __init__(self, *args, exercises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exercise"].choices = exercise_choices(exercises)


@dataclass
class ItemDraft:
    """One program item as typed in the builder form (raw strings kept for re-display)."""

    exercise_id: int
    duration: str
    part: str
    notes: str
    exercise: object = None
    errors: dict = field(default_factory=dict)
    index: int = 0

    @property
    def prefix(self):
        return f"item-{self.index}-"

    def as_service_item(self):
        item = {"exercise": self.exercise_id, "facilitator_notes": self.notes}
        for name, raw, label in (("duration_minutes", self.duration, "minutes"), ("part", self.part, "a part")):
            try:
                item[name] = int(raw)
            except (TypeError, ValueError):
                self.errors[name] = f"Enter {label} as a whole number."
        return item


def item_drafts_from_program(program):
    return [
        ItemDraft(
            exercise_id=item.exercise_id,
            duration=str(item.duration_minutes),
            part=str(item.part),
            notes=item.facilitator_notes,
            exercise=item.exercise,
        )
        for item in program.items.all()
    ]


def item_drafts_from_post(data, max_items):
    drafts = []
    try:
        count = min(int(data.get("item_count", 0)), max_items + 1)
    except ValueError:
        count = 0
    for index in range(count):
        prefix = f"item-{index}-"
        try:
            exercise_id = int(data.get(prefix + "exercise", ""))
        except ValueError:
            continue
        drafts.append(
            ItemDraft(
                exercise_id=exercise_id,
                duration=data.get(prefix + "duration_minutes", "").strip(),
                part=data.get(prefix + "part", "").strip(),
                notes=data.get(prefix + "facilitator_notes", ""),
            )
        )
    return drafts


# --- Exercises and their steps -------------------------------------------------------------------------

# The steps of an exercise: workshops/forms_library.py (a form per step kind).


class ExerciseForm(forms.Form):
    title = forms.CharField(max_length=120, required=False)
    practice = forms.CharField(
        max_length=120, required=False, help_text="The practice it trains, e.g. Boundary mapping."
    )
    summary = forms.CharField(max_length=600, required=False, widget=forms.Textarea(attrs={"rows": 3}))


# --- Workshops and sessions -----------------------------------------------------------------------------


class WorkshopForm(forms.Form):
    title = forms.CharField(max_length=120)
    program = forms.TypedChoiceField(coerce=int)
    format = forms.ChoiceField(choices=Workshop.Format.choices, initial=Workshop.Format.IN_PERSON)
    venue = forms.CharField(max_length=200, required=False, help_text="For in-person and hybrid workshops.")
    video_link = forms.URLField(
        required=False, assume_scheme="https", label="Video call link", help_text="For online and hybrid workshops."
    )
    timezone = timezone_field(
        label="Time zone",
        help_text=(
            "All times of this workshop are entered and shown in it. Changing it keeps each session at the same "
            "local time (10:00 stays 10:00, in the new zone) and e-mails the couples who hold a place the new times."
        ),
    )
    capacity_couples = forms.IntegerField(label="Capacity (couples)", widget=number_input(1, 5000))
    registration_opens_at = LocalDateTimeField(
        required=False, label="Registration opens", help_text="Local time. Empty: as soon as it is published."
    )
    registration_closes_at = LocalDateTimeField(
        required=False,
        label="Registration closes",
        help_text="Local time, no later than the first session's start. Empty: it stays open.",
    )
    cancellation_deadline = LocalDateTimeField(
        required=False,
        label="Couples can cancel online until",
        help_text="Local time, no later than the first session's start. After it, couples write to the contact "
        "e-mail instead. Empty: they can cancel online until the end.",
    )
    reminder_days = forms.CharField(
        required=False,
        max_length=60,
        label="Reminders (days before each session)",
        help_text="E.g. 7, 1: a week and a day before; none for no reminders. Empty: the organization's schedule.",
    )
    contact_email = forms.EmailField(
        required=False,
        label="Contact e-mail for couples",
        help_text="Shown on the registration page and each couple's page; replies to your messages go to it. "
        "Needed with a cancellation deadline.",
    )
    description = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        own = [(p.pk, p.title) for p in programs if not p.is_builtin]
        builtin = [(p.pk, p.title) for p in programs if p.is_builtin]
        choices = [("", "Choose a program")]
        if own:
            choices.append(("Your programs", own))
        if builtin:
            choices.append(("Built-in programs", builtin))
        self.fields["program"].choices = choices

    def clean_timezone(self):
        return clean_timezone_name(self.cleaned_data["timezone"])

    def clean_reminder_days(self):
        text = self.cleaned_data["reminder_days"].strip()
        return None if not text else clean_reminder_days(text)


def clean_reminder_days(text):
    """A reminder schedule typed as "7, 1" (or none), as the list the services take."""
    try:
        return reminders.reminder_days_clean(text)
    except DomainError as error:
        raise ValidationError(error.message) from None


class SessionForm(forms.Form):
    title = forms.CharField(max_length=120, required=False, help_text="Optional, e.g. Day 1 morning.")
    starts_at = LocalDateTimeField(label="Starts")
    ends_at = LocalDateTimeField(label="Ends")


class FacilitatorsForm(forms.Form):
    facilitators = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].choices = [
            (str(m.user_id), f"{m.user.get_full_name() or m.user.email} ({m.get_role_display()})") for m in memberships
        ]


def workshop_when(workshop):
    """'Draft · from Tue 12 Jan 2027, 10:00 (Europe/Lisbon)': a workshop's state and first session, in its own zone.
    `workshop.starts_at` is annotated (selectors.organizations.workshops_with_dates)."""
    if workshop.starts_at is None:
        return f"{workshop.get_status_display()} · no sessions yet"
    starts = workshop.starts_at.astimezone(ZoneInfo(workshop.timezone))
    return f"{workshop.get_status_display()} · from {starts:%a %-d %b %Y, %H:%M} ({workshop.timezone})"


class MemberWorkshopsForm(forms.Form):
    """The workshops a staff member facilitates, among those whose facilitators can still change."""

    workshops = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Workshops they facilitate",
        help_text="Workshops that are cancelled or over are not listed.",
    )

    def __init__(self, *args, workshops, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshops"].choices = [(str(w.pk), f"{w.title} · {workshop_when(w)}") for w in workshops]


# --- Registration questions and attendees ----------------------------------------------------------------------


class QuestionForm(forms.Form):
    label = forms.CharField(max_length=200, label="Question", help_text="E.g. Any dietary needs?")
    hint = forms.CharField(max_length=200, required=False, help_text="Optional, shown under the question.")
    kind = forms.ChoiceField(choices=RegistrationQuestion.Kind.choices, initial="short_text", label="Answered with")
    choices = forms.CharField(
        required=False,
        label="Options",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For a choice: one option per line, e.g. Shared room / Single room.",
    )
    required = forms.BooleanField(required=False, label="Couples must answer it")

    def clean_choices(self):
        return [line for line in self.cleaned_data["choices"].splitlines() if line.strip()]


class AddCoupleForm(forms.Form):
    display_name = forms.CharField(max_length=60, label="First name or pseudonym")
    contact_email = forms.EmailField(
        label="E-mail", help_text="Their confirmation, with their personal link, goes here."
    )


class MessageForm(forms.Form):
    audience = forms.ChoiceField(
        choices=[("confirmed", "Every confirmed couple"), ("waitlist", "Every couple on the waitlist")],
        widget=forms.RadioSelect,
        label="To",
    )
    subject = forms.CharField(max_length=150)
    body = forms.CharField(
        max_length=5000,
        label="Message",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Each couple gets it as an e-mail beginning “Hello” and their name.",
    )


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's password reset, its e-mail queued like every other (workshops.mail_queue): the request never waits
    on the mail server, and a refused delivery is tried again."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        emails.send(to_email, subject, loader.render_to_string(email_template_name, context))


class SignInForm(AuthenticationForm):
    """Django's sign-in, in Attune's words: an account is an e-mail address, matched however it is capitalised
    (sign-up keeps addresses in lower case). The field keeps its name, ``username``, which django-axes counts by."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That e-mail and password don't match an account. Check both, or reset your password.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        email = self.fields["username"]
        email.label = "E-mail"
        email.widget.input_type = "email"
        email.widget.attrs.update(autocomplete="username", autocapitalize="none", spellcheck="false")

    def clean_username(self):
        return " ".join(self.cleaned_data["username"].split()).lower()
