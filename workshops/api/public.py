"""Endpoints for couples, without an account: read a published workshop, register, answer a waitlist offer.

Capability tokens travel in the request body, never in a URL (URLs end up in logs and histories).
Registration answers the same whether or not the e-mail was already registered, so nobody learns
from the API who signed up for a couples' workshop; the e-mail itself tells its owner.
"""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from workshops.api.base import PublicView, get_or_404
from workshops.api.common import errors, example
from workshops.api.enrollment import EnrollmentInputSerializer
from workshops.api.fields import InputSerializer, LocalTimeField, StrictCharField
from workshops.errors import DomainError
from workshops.models import Session, Workshop
from workshops.services import enrollment as services


class PublicSessionSerializer(serializers.Serializer):
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    starts_at_local = LocalTimeField(source="starts_at", timezone_from=lambda s: s.workshop.timezone)
    ends_at_local = LocalTimeField(source="ends_at", timezone_from=lambda s: s.workshop.timezone)


class PublicWorkshopSerializer(serializers.Serializer):
    public_id = serializers.CharField()
    organization = serializers.CharField(source="organization.name")
    title = serializers.CharField()
    description = serializers.CharField()
    format = serializers.ChoiceField(choices=Workshop.Format.choices)
    venue = serializers.CharField()
    timezone = serializers.CharField()
    sessions = PublicSessionSerializer(many=True)
    registration_open = serializers.BooleanField()
    registration_note = serializers.CharField(help_text="Why registration is closed; empty while it is open.")


class RegistrationAnswerSerializer(serializers.Serializer):
    detail = serializers.CharField()


class OfferAnswerInputSerializer(InputSerializer):
    token = StrictCharField(max_length=100, help_text="The token from the offer e-mail's link.")


PLACE_STATUSES = ["confirmed", "cancelled"]


class OfferAnswerSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=PLACE_STATUSES, help_text="The couple's place now.")
    workshop = serializers.CharField(help_text="The workshop's title.")
    detail = serializers.CharField()


def _published(public_id):
    sessions = Prefetch("sessions", queryset=Session.objects.order_by("starts_at", "id"))
    return get_or_404(
        Workshop.objects.select_related("organization").prefetch_related(sessions),
        public_id=public_id,
        status=Workshop.Status.PUBLISHED,
    )


class PublicWorkshopView(PublicView):
    @extend_schema(tags=["public"], auth=[], responses={200: PublicWorkshopSerializer, **errors(404, 429)})
    def get(self, request, public_id):
        """A published workshop's public page: what, where, when, and whether registration is open."""
        workshop = _published(public_id)
        is_open, reason = services.registration_state(workshop)
        workshop.registration_open, workshop.registration_note = is_open, reason
        return Response(PublicWorkshopSerializer(workshop).data)


class PublicRegisterView(PublicView):
    reads_body = ("post",)

    @extend_schema(
        tags=["public"],
        auth=[],
        request=EnrollmentInputSerializer,
        responses={202: RegistrationAnswerSerializer, **errors(400, 404, 413, 415, 429)},
        examples=[example("A couple", {"contact_email": "robin@example.org", "display_name": "Robin"})],
    )
    def post(self, request, public_id):
        """Register as a couple: one contact e-mail and a first name or pseudonym. The answer does not say
        whether you got a seat or a waitlist spot (nor whether the address was registered before): the
        e-mail does, with your personal link."""
        workshop = _published(public_id)
        data = self.parse(EnrollmentInputSerializer)
        try:
            services.registration_submit(workshop=workshop, **data)
        except DomainError as error:
            if error.code != "already_registered":
                raise
        return Response(
            {"detail": "Thank you. Check your e-mail: your personal link is on its way."},
            status=status.HTTP_202_ACCEPTED,
        )


def _offer(token):
    try:
        return services.offer_by_token(token)
    except DomainError as error:
        raise DomainError(error.message, field="token", code=error.code) from None


class OfferAcceptView(PublicView):
    reads_body = ("post",)

    @extend_schema(
        tags=["public"],
        auth=[],
        request=OfferAnswerInputSerializer,
        responses={200: OfferAnswerSerializer, **errors(400, 413, 415, 429)},
    )
    def post(self, request):
        """Take the seat a waitlist offer holds for you. Your personal link comes by e-mail. Accepting again while
        the place is yours answers the same status with a detail saying so (no new e-mail)."""
        offer = _offer(self.parse(OfferAnswerInputSerializer)["token"])
        enrollment, link = services.waitlist_offer_accept(offer=offer)
        if link is None:
            detail = "This place is already yours: you accepted it before. Your personal link is in our e-mail."
        else:
            detail = "The place is yours. We've e-mailed your personal link."
        return Response({"status": enrollment.status, "workshop": enrollment.workshop.title, "detail": detail})


class OfferDeclineView(PublicView):
    reads_body = ("post",)

    @extend_schema(
        tags=["public"],
        auth=[],
        request=OfferAnswerInputSerializer,
        responses={200: OfferAnswerSerializer, **errors(400, 413, 415, 429)},
    )
    def post(self, request):
        """Pass on the offer (and leave the waitlist): the seat goes to the next couple."""
        offer = _offer(self.parse(OfferAnswerInputSerializer)["token"])
        enrollment = services.waitlist_offer_decline(offer=offer)
        return Response(
            {
                "status": enrollment.status,
                "workshop": enrollment.workshop.title,
                "detail": "Thank you: the place passes to the next couple.",
            }
        )
