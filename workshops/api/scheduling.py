"""Workshops and their sessions. Times go in and out as ISO 8601 with an offset (stored in UTC); each
session also shows its start and end in the workshop's own time zone."""

import django_filters
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from config.links import absolute_url
from workshops import calendar
from workshops.api.base import LIST_BACKENDS, OrgView, Pagination, get_or_404
from workshops.api.common import READ, WRITE, errors, example
from workshops.api.fields import (
    AwareDateTimeField,
    AwareDateTimeFormField,
    IdField,
    InputSerializer,
    LocalTimeField,
    StrictCharField,
    StrictChoiceField,
    StrictEmailField,
    StrictIntegerField,
    StrictURLField,
)
from workshops.api.organizations import CalendarLinkSerializer
from workshops.api.reminders import ReminderDaysField, schedule_help
from workshops.errors import DomainError
from workshops.models import Session, Workshop
from workshops.permissions import can
from workshops.selectors.enrollment import enrollment_counts
from workshops.selectors.organizations import programs_visible, workshops_with_dates
from workshops.services import reminders
from workshops.services import scheduling as services

# ---- Output ---------------------------------------------------------------------------------------------------


class SessionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    workshop = serializers.IntegerField(source="workshop_id")
    title = serializers.CharField()
    starts_at = serializers.DateTimeField(help_text="UTC.")
    ends_at = serializers.DateTimeField(help_text="UTC.")
    starts_at_local = LocalTimeField(
        source="starts_at",
        timezone_from=lambda s: s.workshop.timezone,
        help_text="In the workshop's time zone, with its offset.",
    )
    ends_at_local = LocalTimeField(
        source="ends_at",
        timezone_from=lambda s: s.workshop.timezone,
        help_text="In the workshop's time zone, with its offset.",
    )
    timezone = serializers.CharField(source="workshop.timezone")
    join_code = serializers.CharField(read_only=True, help_text="Walk-ins type it to join while seats remain.")


class FacilitatorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()
    email = serializers.EmailField()

    def get_name(self, user) -> str:
        return user.get_full_name()


class EnrollmentCountsSerializer(serializers.Serializer):
    """Each couple counted once: confirmed + offered + free = capacity."""

    confirmed = serializers.IntegerField(help_text="Couples holding a place.")
    waitlisted = serializers.IntegerField(help_text="Couples on the waitlist without an offer.")
    cancelled = serializers.IntegerField()
    offered = serializers.IntegerField(help_text="Seats held by pending waitlist offers (those couples wait no more).")
    free = serializers.IntegerField(help_text="Seats nobody holds or is offered.")


CANCELLATION_HELP = (
    "Couples can cancel their place online until then (UTC); after it they write to contact_email. Null: until the "
    "end. No later than the first session's start; needs a contact_email."
)
CONTACT_HELP = (
    "Whom couples write to: shown on the registration page and each couple's page, the Reply-To of your e-mails "
    "to them. Empty: none (then there can be no cancellation deadline)."
)
REMINDER_HELP = schedule_help("this workshop's own") + " Null: the organization's schedule."


class WorkshopOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    public_id = serializers.CharField(help_text="The public registration address's id.")
    program = serializers.IntegerField(source="program_id")
    program_title = serializers.CharField(source="program.title")
    title = serializers.CharField()
    description = serializers.CharField()
    format = serializers.ChoiceField(choices=Workshop.Format.choices)
    venue = serializers.CharField()
    video_link = serializers.CharField()
    timezone = serializers.CharField()
    capacity_couples = serializers.IntegerField()
    registration_opens_at = serializers.DateTimeField(allow_null=True)
    registration_closes_at = serializers.DateTimeField(allow_null=True)
    cancellation_deadline = serializers.DateTimeField(allow_null=True, help_text=CANCELLATION_HELP)
    contact_email = serializers.CharField(help_text=CONTACT_HELP)
    reminder_days = ReminderDaysField(allow_null=True, help_text=REMINDER_HELP)
    status = serializers.ChoiceField(choices=Workshop.Status.choices)
    starts_at = serializers.DateTimeField(
        allow_null=True, help_text="When the first session starts (UTC); null without sessions."
    )
    ends_at = serializers.DateTimeField(
        allow_null=True, help_text="When the last session ends (UTC); null without sessions."
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class WorkshopDetailSerializer(WorkshopOutputSerializer):
    sessions = SessionOutputSerializer(many=True)
    facilitators = FacilitatorSerializer(many=True)
    ical_feed_url = serializers.SerializerMethodField(help_text="Secret iCalendar address of the sessions.")
    registration_url = serializers.SerializerMethodField(help_text="The public registration page.")
    enrollment_counts = serializers.SerializerMethodField(help_text="Null when your role can't see enrollments.")
    reminder_schedule = serializers.SerializerMethodField(
        help_text="The days before each session its couples are reminded: reminder_days, or the organization's "
        "schedule when that is null."
    )

    @extend_schema_field(serializers.URLField())
    def get_ical_feed_url(self, workshop):
        return workshop_feed_url(workshop)

    @extend_schema_field(serializers.URLField())
    def get_registration_url(self, workshop):
        return absolute_url(reverse("workshop_register", args=[workshop.public_id]))

    @extend_schema_field(ReminderDaysField())
    def get_reminder_schedule(self, workshop):
        return reminders.reminder_schedule(workshop)

    @extend_schema_field(EnrollmentCountsSerializer(allow_null=True))
    def get_enrollment_counts(self, workshop):
        if not can(self.context["request"].user, "enrollment.view", workshop.organization_id):
            return None
        return enrollment_counts(workshop)


def workshop_feed_url(workshop):
    return absolute_url(reverse("workshop_feed", args=[workshop.pk, calendar.workshop_feed_token(workshop)]))


# ---- Input --------------------------------------------------------------------------------------------------------


class WorkshopInputSerializer(InputSerializer):
    program = IdField(help_text="A built-in program or one of your own.")
    title = StrictCharField(max_length=120)
    description = StrictCharField(max_length=4000, required=False, allow_blank=True)
    format = StrictChoiceField(choices=Workshop.Format.choices, required=False)
    venue = StrictCharField(max_length=200, required=False, allow_blank=True)
    video_link = StrictURLField(max_length=200, required=False, allow_blank=True)
    timezone = StrictCharField(
        max_length=64, required=False, help_text="An IANA name such as Europe/Berlin; defaults to the organization's."
    )
    capacity_couples = StrictIntegerField(min_value=1, max_value=services.MAX_CAPACITY)
    registration_opens_at = AwareDateTimeField(required=False, allow_null=True)
    registration_closes_at = AwareDateTimeField(required=False, allow_null=True)
    cancellation_deadline = AwareDateTimeField(required=False, allow_null=True, help_text=CANCELLATION_HELP)
    contact_email = StrictEmailField(max_length=254, required=False, allow_blank=True, help_text=CONTACT_HELP)
    reminder_days = ReminderDaysField(required=False, allow_null=True, help_text=REMINDER_HELP)


class FacilitatorsInputSerializer(InputSerializer):
    facilitators = serializers.ListField(child=IdField(), max_length=50, help_text="User ids of staff members.")


class SessionInputSerializer(InputSerializer):
    title = StrictCharField(max_length=120, required=False, allow_blank=True)
    starts_at = AwareDateTimeField(help_text="ISO 8601 with offset, e.g. 2026-05-01T09:00:00+02:00.")
    ends_at = AwareDateTimeField(help_text="ISO 8601 with offset; at most 14 hours after the start.")


def _resolve_program(organization, data):
    if "program" in data:
        program = programs_visible(organization).filter(pk=data["program"]).first()
        if program is None:
            raise DomainError(_("Choose a program of your library."), field="program")
        data["program"] = program
    return data


# ---- Workshops -------------------------------------------------------------------------------------------------------


class AwareDateTimeFilter(django_filters.Filter):
    field_class = AwareDateTimeFormField


def _date_filter(field, lookup, description):
    schema = {"type": "string", "format": "date-time", "description": description + DATE_PARAMETER_NOTE}
    return extend_schema_field(schema)(AwareDateTimeFilter(field_name=field, lookup_expr=lookup))


DATE_PARAMETER_NOTE = (
    " ISO 8601 with its UTC offset, e.g. 2026-05-01T09:00:00Z or 2026-05-01T09:00:00%2B02:00 (a + percent-encoded)."
    " A workshop without sessions has no dates and is left out."
)


class WorkshopFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Workshop.Status.choices)
    format = django_filters.ChoiceFilter(choices=Workshop.Format.choices)
    starts_after = _date_filter("starts_at", "gte", "Only workshops whose first session starts at or after this.")
    starts_before = _date_filter("starts_at", "lt", "Only workshops whose first session starts before this.")
    ends_after = _date_filter("ends_at", "gt", "Only workshops whose last session ends after this (upcoming: now).")
    ends_before = _date_filter("ends_at", "lte", "Only workshops whose last session ends at or before this.")

    class Meta:
        model = Workshop
        fields = ["status", "format"]


def _workshops(organization):
    return (
        workshops_with_dates(organization).select_related("organization").prefetch_related("sessions", "facilitators")
    )


class WorkshopListView(OrgView):
    reads_body = ("post",)
    filter_backends = LIST_BACKENDS
    filterset_class = WorkshopFilter
    ordering_fields = ["created_at", "title", "starts_at", "ends_at"]
    pagination_class = Pagination

    def get_queryset(self):
        if self.is_schema_view():
            return Workshop.objects.none()
        return workshops_with_dates(self.organization("schedule.view"))

    @extend_schema(tags=["workshops"], responses={200: WorkshopOutputSerializer(many=True), **errors(400, *READ)})
    def get(self, request, slug):
        """The organization's workshops, newest first. Filter by status, format and dates (e.g. what is still to
        come: ?ends_after=<now>); order by date with ?ordering=starts_at (workshops without sessions last)."""
        return self.paginated(self.get_queryset(), WorkshopOutputSerializer)

    @extend_schema(
        tags=["workshops"],
        request=WorkshopInputSerializer,
        responses={201: WorkshopDetailSerializer, **errors(*WRITE)},
        examples=[
            example(
                "A weekend retreat",
                {
                    "program": 1,
                    "title": "Talking about us: a weekend",
                    "format": "in_person",
                    "venue": "Haus am See, Berlin",
                    "timezone": "Europe/Berlin",
                    "capacity_couples": 12,
                },
            )
        ],
    )
    def post(self, request, slug):
        """Schedule a workshop (a draft); add sessions, then publish it to open registration."""
        organization = self.organization("schedule.manage")
        data = _resolve_program(organization, dict(self.parse(WorkshopInputSerializer)))
        timezone_name = data.pop("timezone", organization.timezone)
        workshop = services.workshop_create(organization=organization, timezone_name=timezone_name, **data)
        return Response(
            WorkshopDetailSerializer(get_or_404(_workshops(organization), pk=workshop.pk), context=self.context()).data,
            status=status.HTTP_201_CREATED,
        )


class WorkshopView(OrgView):
    """Base of the views of one workshop: /orgs/{slug}/workshops/{pk}/..."""

    workshop_kwarg = "pk"

    def workshop(self, action):
        organization = self.organization(action)
        return get_or_404(_workshops(organization), pk=self.kwargs[self.workshop_kwarg])

    def detail(self, workshop):
        fresh = get_or_404(_workshops(workshop.organization), pk=workshop.pk)
        return Response(WorkshopDetailSerializer(fresh, context=self.context()).data)


class WorkshopDetailView(WorkshopView):
    reads_body = ("patch",)

    @extend_schema(tags=["workshops"], responses={200: WorkshopDetailSerializer, **errors(*READ)})
    def get(self, request, slug, pk):
        """A workshop with its sessions, facilitators, calendar feed and (for organizers) seat counts."""
        return self.detail(self.workshop("schedule.view"))

    @extend_schema(
        tags=["workshops"],
        request=WorkshopInputSerializer(partial=True),
        responses={200: WorkshopDetailSerializer, **errors(*WRITE)},
    )
    def patch(self, request, slug, pk):
        """Change a workshop, as its form on the organizer pages does. Capacity can't go below the seats taken;
        raising it offers seats to the waitlist. A cancellation deadline (no later than the first session) needs a
        contact_email; reminder_days null follows the organization's schedule."""
        workshop = self.workshop("schedule.manage")
        data = _resolve_program(workshop.organization, dict(self.parse(WorkshopInputSerializer, partial=True)))
        services.workshop_update(workshop=workshop, **data)
        return self.detail(workshop)

    @extend_schema(tags=["workshops"], responses={204: None, **errors(*WRITE)})
    def delete(self, request, slug, pk):
        """Delete a draft. A published workshop has had registrations: cancel it instead."""
        services.workshop_delete(workshop=self.workshop("schedule.manage"))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WorkshopPublishView(WorkshopView):
    @extend_schema(tags=["workshops"], request=None, responses={200: WorkshopDetailSerializer, **errors(*WRITE)})
    def post(self, request, slug, pk):
        """Publish a draft: registration opens (within its window). Needs a session per program part."""
        workshop = services.workshop_publish(workshop=self.workshop("schedule.manage"))
        return self.detail(workshop)


class WorkshopCancelView(WorkshopView):
    @extend_schema(tags=["workshops"], request=None, responses={200: WorkshopDetailSerializer, **errors(*WRITE)})
    def post(self, request, slug, pk):
        """Cancel the workshop."""
        workshop = services.workshop_cancel(workshop=self.workshop("schedule.manage"))
        return self.detail(workshop)


class WorkshopFacilitatorsView(WorkshopView):
    reads_body = ("put",)

    @extend_schema(
        tags=["workshops"],
        request=FacilitatorsInputSerializer,
        responses={200: WorkshopDetailSerializer, **errors(*WRITE)},
    )
    def put(self, request, slug, pk):
        """Set who facilitates (staff of the organization); refused if one of them is booked elsewhere then."""
        workshop = self.workshop("schedule.manage")
        ids = list(dict.fromkeys(self.parse(FacilitatorsInputSerializer)["facilitators"]))
        users = list(get_user_model().objects.filter(pk__in=ids, memberships__organization=workshop.organization))
        if len(users) != len(ids):
            missing = sorted(set(ids) - {user.pk for user in users})
            raise DomainError(
                _("User %(id)s is not on the staff of this organization.") % {"id": missing[0]}, field="facilitators"
            )
        services.workshop_set_facilitators(workshop=workshop, users=users)
        return self.detail(workshop)


class WorkshopCalendarRotateView(WorkshopView):
    @extend_schema(tags=["workshops"], request=None, responses={200: CalendarLinkSerializer, **errors(*WRITE)})
    def post(self, request, slug, pk):
        """A new address for the workshop's calendar feed; the old one stops working."""
        workshop = services.workshop_rotate_calendar(workshop=self.workshop("schedule.manage"))
        return Response({"ical_feed_url": workshop_feed_url(workshop)})


# ---- Sessions ------------------------------------------------------------------------------------------------


class SessionListView(WorkshopView):
    reads_body = ("post",)
    workshop_kwarg = "workshop_pk"
    filter_backends = LIST_BACKENDS
    ordering_fields = ["starts_at"]
    pagination_class = Pagination

    def get_queryset(self):
        if self.is_schema_view():
            return Session.objects.none()
        return self.workshop("schedule.view").sessions.select_related("workshop")

    @extend_schema(tags=["sessions"], responses={200: SessionOutputSerializer(many=True), **errors(400, *READ)})
    def get(self, request, slug, workshop_pk):
        """The workshop's sessions in time order."""
        return self.paginated(self.get_queryset(), SessionOutputSerializer)

    @extend_schema(
        tags=["sessions"],
        request=SessionInputSerializer,
        responses={201: SessionOutputSerializer, **errors(*WRITE)},
        examples=[
            example(
                "Saturday morning",
                {
                    "title": "Saturday morning",
                    "starts_at": "2030-06-15T09:00:00+02:00",
                    "ends_at": "2030-06-15T12:30:00+02:00",
                },
            )
        ],
    )
    def post(self, request, slug, workshop_pk):
        """Add a session. It may not overlap another session of the workshop or another booking of a facilitator."""
        workshop = self.workshop("schedule.manage")
        data = self.parse(SessionInputSerializer)
        session = services.session_create(workshop=workshop, **data)
        return Response(SessionOutputSerializer(session).data, status=status.HTTP_201_CREATED)


class SessionDetailView(WorkshopView):
    reads_body = ("patch",)
    workshop_kwarg = "workshop_pk"

    def _session(self, action):
        workshop = self.workshop(action)
        return get_or_404(workshop.sessions.select_related("workshop"), pk=self.kwargs["pk"])

    @extend_schema(tags=["sessions"], responses={200: SessionOutputSerializer, **errors(*READ)})
    def get(self, request, slug, workshop_pk, pk):
        return Response(SessionOutputSerializer(self._session("schedule.view")).data)

    @extend_schema(
        tags=["sessions"],
        request=SessionInputSerializer(partial=True),
        responses={200: SessionOutputSerializer, **errors(*WRITE)},
    )
    def patch(self, request, slug, workshop_pk, pk):
        """Move or rename a session."""
        session = self._session("schedule.manage")
        data = self.parse(SessionInputSerializer, partial=True)
        session = services.session_update(session=session, **data)
        return Response(SessionOutputSerializer(session).data)

    @extend_schema(tags=["sessions"], responses={204: None, **errors(*WRITE)})
    def delete(self, request, slug, workshop_pk, pk):
        """Delete a session that has not taken place."""
        services.session_delete(session=self._session("schedule.manage"))
        return Response(status=status.HTTP_204_NO_CONTENT)
