"""Organizations, their staff (memberships and invitations), tokens and the staff calendar link."""

import django_filters
from django.contrib.auth import authenticate
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response

from config import sign_in
from config.links import absolute_url
from workshops import calendar, slugs
from workshops.api.base import LIST_BACKENDS, ApiView, OrgView, Pagination, TokenThrottle, get_or_404
from workshops.api.common import READ, WRITE, errors, example
from workshops.api.fields import (
    InputSerializer,
    LanguageField,
    StrictCharField,
    StrictChoiceField,
    StrictEmailField,
    StrictIntegerField,
)
from workshops.api.reminders import ReminderDaysField, schedule_help
from workshops.errors import DomainError
from workshops.models import Membership, Organization, StaffCalendar, StaffInvitation
from workshops.models.organizations import Role
from workshops.permissions import forget_roles, role_of
from workshops.selectors.organizations import memberships_of, organizations_of
from workshops.services import organizations as services
from workshops.services import reminders
from workshops.services.organizations import K_TOO_LOW, MIN_K

# ---- Tokens ---------------------------------------------------------------------------------------------


class TokenInputSerializer(InputSerializer):
    email = StrictCharField(max_length=254)
    password = StrictCharField(max_length=128, trim_whitespace=False)


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField()


class TokenView(ApiView):
    """Exchange an e-mail and password for an API token (send it as `Authorization: Token <token>`)."""

    reads_body = ("post",)
    throttle_classes = [TokenThrottle]

    def initialize_request(self, request, *args, **kwargs):
        # Signing in reads no cookie and no token, so a stale one cannot get in the way.
        self.signing_in = request.method == "POST"
        return super().initialize_request(request, *args, **kwargs)

    def get_authenticators(self):
        return [] if self.signing_in else super().get_authenticators()

    def get_permissions(self):
        return [] if self.signing_in else super().get_permissions()

    @extend_schema(
        tags=["auth"],
        auth=[],
        request=TokenInputSerializer,
        responses={200: TokenOutputSerializer, **errors(400, 413, 415, 429)},
    )
    def post(self, request):
        data = self.parse(TokenInputSerializer)
        user = authenticate(request, username=data["email"].strip().lower(), password=data["password"])
        if user is None:
            if getattr(request, "axes_locked_out", False):  # axes marks DRF's request, which its middleware never sees
                return sign_in.locked_out(request)
            raise DomainError(_("The e-mail or the password is wrong."), code="invalid_credentials")
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    @extend_schema(tags=["auth"], request=None, responses={204: None, **errors(400, 401)})
    def delete(self, request):
        """Sign out: the caller's token stops working."""
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---- Organizations -----------------------------------------------------------------------------------------


ORG_REMINDER_HELP = schedule_help("the organization's (a workshop may have its own)")


class OrganizationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField(help_text="Its addresses' name, in any script: percent-encode it (UTF-8) in a URL.")
    timezone = serializers.CharField()
    anonymity_k = serializers.IntegerField(help_text="Feedback shows only once at least k answers are in.")
    retention_days = serializers.IntegerField(help_text="Couple content is deleted this long after the last session.")
    reminder_days = ReminderDaysField(help_text=ORG_REMINDER_HELP)
    created_at = serializers.DateTimeField()
    my_role = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ChoiceField(choices=Role.choices))
    def get_my_role(self, organization):
        return role_of(self.context["request"].user, organization)


_K_MESSAGE = K_TOO_LOW  # DRF fills in {min_value}


SLUG_HELP = (
    "The organization's name in its addresses (/api/v1/orgs/{slug}/): lowercase letters of any script and digits, "
    "words joined by single hyphens. Made from the name when left out."
)


class OrganizationInputSerializer(InputSerializer):
    name = StrictCharField(max_length=120)
    slug = StrictCharField(max_length=slugs.MAX_LENGTH, required=False, help_text=SLUG_HELP)
    timezone = StrictCharField(max_length=64, default="UTC", help_text="An IANA name such as Europe/Berlin.")
    anonymity_k = StrictIntegerField(
        min_value=MIN_K, max_value=1000, default=5, error_messages={"min_value": _K_MESSAGE}
    )
    retention_days = StrictIntegerField(min_value=1, max_value=365, default=14)


class OrganizationUpdateSerializer(OrganizationInputSerializer):
    slug = StrictCharField(
        max_length=slugs.MAX_LENGTH,
        required=False,
        help_text="A new slug moves the organization's addresses: the old ones answer 404 from then on.",
    )
    timezone = StrictCharField(max_length=64, required=False, help_text="An IANA name such as Europe/Berlin.")
    anonymity_k = StrictIntegerField(
        min_value=MIN_K, max_value=1000, required=False, error_messages={"min_value": _K_MESSAGE}
    )
    retention_days = StrictIntegerField(min_value=1, max_value=365, required=False)
    reminder_days = ReminderDaysField(required=False, help_text=ORG_REMINDER_HELP)


class OrganizationListView(ApiView):
    reads_body = ("post",)
    filter_backends = LIST_BACKENDS
    ordering_fields = ["name", "created_at"]
    pagination_class = Pagination

    def get_queryset(self):
        if self.is_schema_view():
            return Organization.objects.none()
        return organizations_of(self.request.user)

    @extend_schema(
        tags=["organizations"], responses={200: OrganizationOutputSerializer(many=True), **errors(400, 401, 404)}
    )
    def get(self, request):
        """The organizations you are on the staff of."""
        return self.paginated(self.get_queryset(), OrganizationOutputSerializer)

    @extend_schema(
        tags=["organizations"],
        request=OrganizationInputSerializer,
        responses={201: OrganizationOutputSerializer, **errors(400, 401, 413, 415)},
        examples=[
            example(
                "An organization",
                {"name": "Kindred Rooms", "timezone": "Europe/Berlin", "anonymity_k": 5, "retention_days": 14},
            )
        ],
    )
    def post(self, request):
        """Create an organization; you become its owner. Its slug is yours to choose, or made from its name in the
        name's own script ("Ünïcødé Пары 夫婦" -> ünïcødé-пары-夫婦)."""
        data = self.parse(OrganizationInputSerializer)
        organization = services.organization_create(
            name=data["name"],
            owner=request.user,
            timezone_name=data["timezone"],
            anonymity_k=data["anonymity_k"],
            retention_days=data["retention_days"],
            slug=data.get("slug"),
        )
        forget_roles(request.user)
        return Response(
            OrganizationOutputSerializer(organization, context=self.context()).data, status=status.HTTP_201_CREATED
        )


class OrganizationDetailView(OrgView):
    reads_body = ("patch",)

    @extend_schema(tags=["organizations"], responses={200: OrganizationOutputSerializer, **errors(*READ)})
    def get(self, request, slug):
        organization = self.organization("organization.view")
        return Response(OrganizationOutputSerializer(organization, context=self.context()).data)

    @extend_schema(
        tags=["organizations"],
        request=OrganizationUpdateSerializer,
        responses={200: OrganizationOutputSerializer, **errors(*WRITE)},
    )
    def patch(self, request, slug):
        """Change the settings (owners only), as the settings page does: name, slug, time zone, anonymity threshold k
        (at least 3), retention, and the reminder schedule of workshops that have none of their own."""
        organization = self.organization("organization.manage")
        data = self.parse(OrganizationUpdateSerializer, partial=True)
        with transaction.atomic():
            organization = services.organization_update(
                organization=organization,
                name=data.get("name"),
                timezone_name=data.get("timezone"),
                anonymity_k=data.get("anonymity_k"),
                retention_days=data.get("retention_days"),
                slug=data.get("slug"),
            )
            if "reminder_days" in data:
                reminders.organization_set_reminder_days(organization=organization, days=data["reminder_days"])
        return Response(OrganizationOutputSerializer(organization, context=self.context()).data)


# ---- Memberships ---------------------------------------------------------------------------------------------


class MembershipOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user_id = serializers.IntegerField()
    email = serializers.EmailField(source="user.email")
    name = serializers.SerializerMethodField()
    role = serializers.ChoiceField(choices=Role.choices)
    created_at = serializers.DateTimeField()

    def get_name(self, membership) -> str:
        return membership.user.get_full_name()


class MembershipUpdateSerializer(InputSerializer):
    role = StrictChoiceField(choices=Role.choices)


class MembershipFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ["role"]


class MembershipListView(OrgView):
    filter_backends = LIST_BACKENDS
    filterset_class = MembershipFilter
    ordering_fields = ["role", "created_at"]
    pagination_class = Pagination

    def get_queryset(self):
        if self.is_schema_view():
            return Membership.objects.none()
        return memberships_of(self.organization("staff.view"))

    @extend_schema(tags=["staff"], responses={200: MembershipOutputSerializer(many=True), **errors(400, *READ)})
    def get(self, request, slug):
        """The organization's staff and their roles."""
        return self.paginated(self.get_queryset(), MembershipOutputSerializer)


class MembershipDetailView(OrgView):
    reads_body = ("put",)

    def _membership(self, organization):
        return get_or_404(memberships_of(organization), pk=self.kwargs["pk"])

    @extend_schema(tags=["staff"], responses={200: MembershipOutputSerializer, **errors(*READ)})
    def get(self, request, slug, pk):
        membership = self._membership(self.organization("staff.view"))
        return Response(MembershipOutputSerializer(membership).data)

    @extend_schema(
        tags=["staff"],
        request=MembershipUpdateSerializer,
        responses={200: MembershipOutputSerializer, **errors(*WRITE)},
    )
    def put(self, request, slug, pk):
        """Change a staff member's role. Only an owner makes or unmakes an owner; one owner always remains."""
        organization = self.organization("staff.manage")
        membership = self._membership(organization)
        data = self.parse(MembershipUpdateSerializer)
        membership = services.membership_change_role(
            membership=membership, role=data["role"], by_role=role_of(request.user, organization)
        )
        forget_roles(request.user)
        return Response(MembershipOutputSerializer(membership).data)

    @extend_schema(tags=["staff"], responses={204: None, **errors(*WRITE)})
    def delete(self, request, slug, pk):
        """Remove someone from the staff."""
        organization = self.organization("staff.manage")
        membership = self._membership(organization)
        services.membership_remove(membership=membership, by_role=role_of(request.user, organization))
        forget_roles(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---- Staff invitations -------------------------------------------------------------------------------------------


INVITATION_STATES = ["pending", "accepted", "revoked", "expired"]


class InvitationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Role.choices)
    state = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    language = serializers.CharField(help_text="The language of the invitation e-mail (e.g. en, de).")

    @extend_schema_field(serializers.ChoiceField(choices=INVITATION_STATES))
    def get_state(self, invitation):
        return invitation.state(timezone.now())


class InvitationInputSerializer(InputSerializer):
    email = StrictEmailField(max_length=254)
    role = StrictChoiceField(choices=Role.choices)
    language = LanguageField(
        required=False,
        help_text="The language of the invitation e-mail; without it, the request's (your account's language, "
        "Accept-Language, else the installation's).",
    )


class InvitationFilter(django_filters.FilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices)

    class Meta:
        model = StaffInvitation
        fields = ["role"]


class InvitationListView(OrgView):
    reads_body = ("post",)
    filter_backends = LIST_BACKENDS
    filterset_class = InvitationFilter
    ordering_fields = ["created_at", "expires_at", "email"]
    pagination_class = Pagination

    def get_queryset(self):
        if self.is_schema_view():
            return StaffInvitation.objects.none()
        return StaffInvitation.objects.filter(organization=self.organization("staff.manage")).order_by("-created_at")

    @extend_schema(tags=["staff"], responses={200: InvitationOutputSerializer(many=True), **errors(400, *READ)})
    def get(self, request, slug):
        """Staff invitations, newest first, with their state. The link itself is only in the e-mail."""
        return self.paginated(self.get_queryset(), InvitationOutputSerializer)

    @extend_schema(
        tags=["staff"],
        request=InvitationInputSerializer,
        responses={201: InvitationOutputSerializer, **errors(*WRITE)},
        examples=[example("A facilitator", {"email": "sam@example.org", "role": "facilitator"})],
    )
    def post(self, request, slug):
        """Invite someone to the staff: they get an e-mail with a link that expires."""
        organization = self.organization("staff.manage")
        data = self.parse(InvitationInputSerializer)
        invitation, _raw = services.staff_invite(
            organization=organization,
            email=data["email"],
            role=data["role"],
            invited_by=request.user,
            by_role=role_of(request.user, organization),
            language=data.get("language"),
        )
        return Response(InvitationOutputSerializer(invitation).data, status=status.HTTP_201_CREATED)


class InvitationRevokeView(OrgView):
    @extend_schema(tags=["staff"], request=None, responses={200: InvitationOutputSerializer, **errors(*WRITE)})
    def post(self, request, slug, pk):
        """Revoke an invitation: its link stops working."""
        organization = self.organization("staff.manage")
        invitation = get_or_404(StaffInvitation.objects.filter(organization=organization), pk=pk)
        if invitation.revoked_at:
            raise DomainError(_("This invitation is already revoked."), code="invitation_revoked")
        invitation = services.staff_invitation_revoke(invitation=invitation)
        return Response(InvitationOutputSerializer(invitation).data)


# ---- The staff member's calendar feed -------------------------------------------------------------------------------


class CalendarLinkSerializer(serializers.Serializer):
    ical_feed_url = serializers.URLField(help_text="Secret iCalendar address; rotate it if it leaked.")


def staff_feed_url(feed):
    return absolute_url(reverse("staff_feed", args=[feed.user_id, calendar.staff_feed_token(feed)]))


class MyCalendarView(ApiView):
    @extend_schema(tags=["calendar"], responses={200: CalendarLinkSerializer, **errors(401)})
    def get(self, request):
        """Your iCalendar feed of every session you facilitate, in any organization."""
        feed = StaffCalendar.objects.filter(user=request.user).first()
        if feed is None:
            feed = services.staff_calendar_rotate(user=request.user)
        return Response({"ical_feed_url": staff_feed_url(feed)})


class MyCalendarRotateView(ApiView):
    @extend_schema(tags=["calendar"], request=None, responses={200: CalendarLinkSerializer, **errors(400, 401)})
    def post(self, request):
        """A new feed address; the old one stops working."""
        feed = services.staff_calendar_rotate(user=request.user)
        return Response({"ical_feed_url": staff_feed_url(feed)})
