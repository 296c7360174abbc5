"""Enrollments and the waitlist of a workshop, for organizers. Seats are counted in couples."""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from workshops.api.base import LIST_BACKENDS, Pagination, get_or_404
from workshops.api.common import READ, WRITE, DetailSerializer, errors
from workshops.api.fields import InputSerializer, LanguageField, StrictCharField, StrictEmailField
from workshops.api.scheduling import EnrollmentCountsSerializer, WorkshopView
from workshops.models import Enrollment, WaitlistOffer
from workshops.selectors.enrollment import enrollment_counts
from workshops.selectors.enrollment import waitlist as waitlist_entries
from workshops.services import enrollment as services


class EnrollmentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    workshop = serializers.IntegerField(source="workshop_id")
    display_name = serializers.CharField(help_text="A first name or a pseudonym.")
    contact_email = serializers.EmailField()
    status = serializers.ChoiceField(choices=Enrollment.Status.choices)
    created_at = serializers.DateTimeField()
    waitlisted_at = serializers.DateTimeField(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    cancel_reason = serializers.CharField(help_text="Empty unless cancelled.")
    language = serializers.CharField(
        help_text="The language of the couple's e-mails (a code of the languages Attune speaks, e.g. en, de): the "
        "one they registered in."
    )


class EnrollmentInputSerializer(InputSerializer):
    contact_email = StrictEmailField(max_length=254)
    display_name = StrictCharField(max_length=60, help_text="A first name or a pseudonym; nothing more is needed.")


class OrganizerEnrollmentInputSerializer(EnrollmentInputSerializer):
    language = LanguageField(
        required=False,
        help_text="The language of the couple's e-mails; without it, the request's (Accept-Language, else the "
        "installation's).",
    )


class OfferOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=WaitlistOffer.Status.choices)
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(help_text="The seat passes to the next couple after this.")


class WaitlistEntrySerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text="1 is offered the next free seat.")
    enrollment = EnrollmentOutputSerializer()
    offer = OfferOutputSerializer(allow_null=True, help_text="The pending offer of a seat, if any.")


class WaitlistSerializer(serializers.Serializer):
    workshop = serializers.IntegerField()
    capacity_couples = serializers.IntegerField()
    counts = EnrollmentCountsSerializer()
    entries = WaitlistEntrySerializer(many=True)


class EnrollmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Enrollment.Status.choices)

    class Meta:
        model = Enrollment
        fields = ["status"]


class EnrollmentListView(WorkshopView):
    reads_body = ("post",)
    workshop_kwarg = "workshop_pk"
    filter_backends = LIST_BACKENDS
    filterset_class = EnrollmentFilter
    ordering_fields = ["created_at", "display_name", "status"]
    pagination_class = Pagination

    def get_queryset(self):
        if self.is_schema_view():
            return Enrollment.objects.none()
        return self.workshop("enrollment.view").enrollments.all()

    @extend_schema(tags=["enrollments"], responses={200: EnrollmentOutputSerializer(many=True), **errors(400, *READ)})
    def get(self, request, slug, workshop_pk):
        """The couples registered for the workshop; filter with ?status=confirmed|waitlisted|cancelled."""
        return self.paginated(self.get_queryset(), EnrollmentOutputSerializer)

    @extend_schema(
        tags=["enrollments"],
        request=OrganizerEnrollmentInputSerializer,
        responses={201: EnrollmentOutputSerializer, **errors(*WRITE)},
    )
    def post(self, request, slug, workshop_pk):
        """Register a couple for them (as the public form does): confirmed while seats remain, else waitlisted.
        They get an e-mail with their personal link, in `language`."""
        workshop = self.workshop("enrollment.manage")
        data = self.parse(OrganizerEnrollmentInputSerializer)
        enrollment, _raw = services.registration_submit(workshop=workshop, **data)
        return Response(EnrollmentOutputSerializer(enrollment).data, status=status.HTTP_201_CREATED)


class EnrollmentView(WorkshopView):
    workshop_kwarg = "workshop_pk"

    def enrollment(self, action):
        workshop = self.workshop(action)
        return get_or_404(workshop.enrollments.all(), pk=self.kwargs["pk"])


class EnrollmentDetailView(EnrollmentView):
    @extend_schema(tags=["enrollments"], responses={200: EnrollmentOutputSerializer, **errors(*READ)})
    def get(self, request, slug, workshop_pk, pk):
        return Response(EnrollmentOutputSerializer(self.enrollment("enrollment.view")).data)


class EnrollmentCancelView(EnrollmentView):
    @extend_schema(tags=["enrollments"], request=None, responses={200: EnrollmentOutputSerializer, **errors(*WRITE)})
    def post(self, request, slug, workshop_pk, pk):
        """Cancel a place or a waitlist spot; a freed seat is offered to the first waitlisted couple."""
        enrollment = services.enrollment_cancel(enrollment=self.enrollment("enrollment.manage"), by="organizer")
        return Response(EnrollmentOutputSerializer(enrollment).data)


class EnrollmentResendView(EnrollmentView):
    @extend_schema(tags=["enrollments"], request=None, responses={200: DetailSerializer, **errors(*WRITE)})
    def post(self, request, slug, workshop_pk, pk):
        """E-mail the couple a new personal link; the old one stops working."""
        services.enrollment_resend_invitation(enrollment=self.enrollment("enrollment.manage"))
        return Response({"detail": _("A new personal link is on its way; the old one no longer works.")})


class WaitlistView(WorkshopView):
    workshop_kwarg = "workshop_pk"

    @extend_schema(tags=["enrollments"], responses={200: WaitlistSerializer, **errors(*READ)})
    def get(self, request, slug, workshop_pk):
        """The waitlist in offer order, each couple with its pending offer. Reading it first applies expired
        offers and offers any free seat, so what you see is current."""
        workshop = self.workshop("enrollment.view")
        services.waitlist_refresh(workshop=workshop)
        entries = [
            {"position": position, "enrollment": entry, "offer": offer}
            for position, (entry, offer) in enumerate(waitlist_entries(workshop), 1)
        ]
        body = {
            "workshop": workshop.pk,
            "capacity_couples": workshop.capacity_couples,
            "counts": enrollment_counts(workshop),
            "entries": entries,
        }
        return Response(WaitlistSerializer(body).data)
