"""Endpoints for couples, without an account: read a published workshop, register, answer a waitlist offer.

Capability tokens travel in the request body, never in a URL (URLs end up in logs and histories).
Registration answers the same whether or not the e-mail was already registered, so nobody learns
from the API who signed up for a couples' workshop; the e-mail itself tells its owner.

Every message, and a registering couple's e-mails, are in the request's language (Accept-Language).
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from workshops.api.base import PublicView, get_or_404
from workshops.api.common import errors, example
from workshops.api.enrollment import EnrollmentInputSerializer
from workshops.api.fields import InputSerializer, LocalTimeField, StrictCharField
from workshops.api.questions import (
    AnswerField,
    PublicQuestionSerializer,
    answers_of_registration,
    refusal_of_question,
)
from workshops.errors import DomainError
from workshops.models import RegistrationQuestion, Session, Workshop
from workshops.services import enrollment as services
from workshops.services import registration_questions


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
    questions = PublicQuestionSerializer(
        many=True,
        help_text="What the organizers ask at registration, besides an e-mail and a name, in the form's order: "
        "answer them in the registration's `answers`. Only the organizers see the answers.",
    )
    cancellation_deadline = serializers.DateTimeField(
        allow_null=True,
        help_text="A place can be cancelled online until then (UTC); after it, write to contact_email. Null: until "
        "the end.",
    )
    contact_email = serializers.CharField(help_text="Whom to write to with questions; may be empty.")


class RegistrationInputSerializer(EnrollmentInputSerializer):
    answers = serializers.DictField(
        child=AnswerField(),
        required=False,
        help_text='The answers to the workshop\'s `questions`, keyed by question id: {"12": "Vegetarian"}. A '
        "choice is answered with one of its choices, as written; a short text with at most "
        f"{registration_questions.MAX_ANSWER} characters (runs of white space count as one). A required question "
        'must be answered; an optional one may be left out (or ""). Checked as the registration page checks them.',
    )


class RegistrationAnswerSerializer(serializers.Serializer):
    detail = serializers.CharField()


class OfferAnswerInputSerializer(InputSerializer):
    token = StrictCharField(max_length=100, help_text="The token from the offer e-mail's link.")


PLACE_STATUSES = ["confirmed", "cancelled"]


class OfferAnswerSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=PLACE_STATUSES, help_text="The couple's place now.")
    workshop = serializers.CharField(help_text="The workshop's title.")
    detail = serializers.CharField()


def _published(public_id, *prefetch):
    return get_or_404(
        Workshop.objects.select_related("organization").prefetch_related(*prefetch),
        public_id=public_id,
        status=Workshop.Status.PUBLISHED,
    )


class PublicWorkshopView(PublicView):
    @extend_schema(tags=["public"], auth=[], responses={200: PublicWorkshopSerializer, **errors(404, 429)})
    def get(self, request, public_id):
        """A published workshop's public page: what, where, when, whether registration is open, the questions it
        asks and until when a place can be cancelled online."""
        sessions = Prefetch("sessions", queryset=Session.objects.order_by("starts_at", "id"))
        questions = Prefetch("questions", queryset=RegistrationQuestion.objects.order_by("position", "id"))
        workshop = _published(public_id, sessions, questions)
        is_open, reason = services.registration_state(workshop)
        workshop.registration_open, workshop.registration_note = is_open, reason
        return Response(PublicWorkshopSerializer(workshop).data)


class PublicRegisterView(PublicView):
    reads_body = ("post",)

    @extend_schema(
        tags=["public"],
        auth=[],
        request=RegistrationInputSerializer,
        responses={202: RegistrationAnswerSerializer, **errors(400, 404, 413, 415, 429)},
        examples=[
            example("A couple", {"contact_email": "robin@example.org", "display_name": "Robin"}),
            example(
                "A couple answering two questions",
                {
                    "contact_email": "robin@example.org",
                    "display_name": "Robin",
                    "answers": {"12": "Vegetarian", "13": "Shared room"},
                },
            ),
        ],
    )
    def post(self, request, public_id):
        """Register as a couple: one contact e-mail, a first name or pseudonym, and the answers to the workshop's
        `questions`, checked and stored as the registration page does. A required question left unanswered, an
        answer that is not one of its question's choices or too long, or an id of no question of the workshop is a
        400 at `answers.<id>`, naming the question (every refused answer is in `errors`).

        The answer does not say whether you got a seat or a waitlist spot (nor whether the address was registered
        before): the e-mail does, with your personal link. It and the couple's later e-mails are in the request's
        language (Accept-Language)."""
        workshop = _published(public_id)
        data = self.parse(RegistrationInputSerializer)
        questions = list(workshop.questions.all())
        is_open, reason = services.registration_state(workshop)
        if not is_open:  # as on the page: nothing to correct while registration is closed
            raise DomainError(reason, code="registration_closed")
        services.registration_contact_clean(data["contact_email"], data["display_name"])
        answers = answers_of_registration(questions, data.get("answers", {}))
        try:
            services.registration_submit(
                workshop=workshop,
                contact_email=data["contact_email"],
                display_name=data["display_name"],
                answers=answers,
            )
        except DomainError as error:
            refused = refusal_of_question(workshop.questions.all(), error)  # a question added meanwhile
            if refused is not None:
                raise refused from None
            if error.code != "already_registered":
                raise
        return Response(
            {"detail": _("Thank you. Check your e-mail: your personal link is on its way.")},
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
            detail = _("This place is already yours: you accepted it before. Your personal link is in our e-mail.")
        else:
            detail = _("The place is yours. We've e-mailed your personal link.")
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
                "detail": _("Thank you: the place passes to the next couple."),
            }
        )
