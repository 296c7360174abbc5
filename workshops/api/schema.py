"""Settings of the served OpenAPI schema that config/settings.py leaves to the API: names of the
enums that several components share (so the schema says WorkshopStatus, not Status4b6)."""

from drf_spectacular.views import SpectacularAPIView

from workshops.models import Enrollment, Program, WaitlistOffer, Workshop
from workshops.models.organizations import Role
from workshops.steps import KIND_LABELS, STEP_KINDS

ENUM_NAME_OVERRIDES = {
    "WorkshopStatusEnum": Workshop.Status.choices,
    "EnrollmentStatusEnum": Enrollment.Status.choices,
    "OfferStatusEnum": WaitlistOffer.Status.choices,
    "PlaceStatusEnum": ["confirmed", "cancelled"],
    "RoleEnum": Role.choices,
    "FormatEnum": Program.FORMATS,
    "InvitationStateEnum": ["pending", "accepted", "revoked", "expired"],
    "StepKindEnum": [(kind, KIND_LABELS[kind]) for kind in STEP_KINDS],
}


class SchemaView(SpectacularAPIView):
    custom_settings = {"ENUM_NAME_OVERRIDES": ENUM_NAME_OVERRIDES}
