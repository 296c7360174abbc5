"""REST API, /api/v1/. Org-scoped resources live under /orgs/{slug}/; another organization's slug or
objects answer 404. The OpenAPI schema is at /api/v1/schema/, its browsable docs at /api/v1/docs/."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularSwaggerView

from feedback.api import FeedbackReportView
from feedback.survey_api import SurveyView
from workshops.api import enrollment, library, organizations, public, questions, scheduling
from workshops.api.base import not_found
from workshops.api.schema import SchemaView

workshop_urls = [
    path("", scheduling.WorkshopDetailView.as_view(), name="workshop"),
    path("publish/", scheduling.WorkshopPublishView.as_view(), name="workshop_publish"),
    path("cancel/", scheduling.WorkshopCancelView.as_view(), name="workshop_cancel"),
    path("facilitators/", scheduling.WorkshopFacilitatorsView.as_view(), name="workshop_facilitators"),
    path("calendar/rotate/", scheduling.WorkshopCalendarRotateView.as_view(), name="workshop_calendar_rotate"),
]

workshop_children = [
    path("sessions/", scheduling.SessionListView.as_view(), name="sessions"),
    path("sessions/<int:pk>/", scheduling.SessionDetailView.as_view(), name="session"),
    path("enrollments/", enrollment.EnrollmentListView.as_view(), name="enrollments"),
    path("enrollments/<int:pk>/", enrollment.EnrollmentDetailView.as_view(), name="enrollment"),
    path("enrollments/<int:pk>/cancel/", enrollment.EnrollmentCancelView.as_view(), name="enrollment_cancel"),
    path(
        "enrollments/<int:pk>/resend-invitation/",
        enrollment.EnrollmentResendView.as_view(),
        name="enrollment_resend",
    ),
    path("waitlist/", enrollment.WaitlistView.as_view(), name="waitlist"),
    path("questions/", questions.QuestionListView.as_view(), name="questions"),
    path("questions/<int:pk>/", questions.QuestionDetailView.as_view(), name="question"),
    path("questions/<int:pk>/move/", questions.QuestionMoveView.as_view(), name="question_move"),
]

org_urls = [
    path("", organizations.OrganizationDetailView.as_view(), name="organization"),
    path("memberships/", organizations.MembershipListView.as_view(), name="memberships"),
    path("feedback/report/", FeedbackReportView.as_view(), name="feedback_report"),
    path("feedback/survey/", SurveyView.as_view(), name="feedback_survey"),
    path("memberships/<int:pk>/", organizations.MembershipDetailView.as_view(), name="membership"),
    path("invitations/", organizations.InvitationListView.as_view(), name="invitations"),
    path("invitations/<int:pk>/revoke/", organizations.InvitationRevokeView.as_view(), name="invitation_revoke"),
    path("exercises/", library.ExerciseListView.as_view(), name="exercises"),
    path("exercises/<int:pk>/", library.ExerciseDetailView.as_view(), name="exercise"),
    path("exercises/<int:pk>/copy/", library.ExerciseCopyView.as_view(), name="exercise_copy"),
    path("programs/", library.ProgramListView.as_view(), name="programs"),
    path("programs/<int:pk>/", library.ProgramDetailView.as_view(), name="program"),
    path("programs/<int:pk>/copy/", library.ProgramCopyView.as_view(), name="program_copy"),
    path("workshops/", scheduling.WorkshopListView.as_view(), name="workshops"),
    path("workshops/<int:pk>/", include(workshop_urls)),
    path("workshops/<int:workshop_pk>/", include(workshop_children)),
]

app_name = "api"
urlpatterns = [
    path("auth/token/", organizations.TokenView.as_view(), name="token"),
    path("me/calendar/", organizations.MyCalendarView.as_view(), name="my_calendar"),
    path("me/calendar/rotate/", organizations.MyCalendarRotateView.as_view(), name="my_calendar_rotate"),
    path("orgs/", organizations.OrganizationListView.as_view(), name="organizations"),
    path("orgs/<orgslug:slug>/", include(org_urls)),
    path("public/workshops/<slug:public_id>/", public.PublicWorkshopView.as_view(), name="public_workshop"),
    path("public/workshops/<slug:public_id>/register/", public.PublicRegisterView.as_view(), name="public_register"),
    path("public/waitlist-offers/accept/", public.OfferAcceptView.as_view(), name="offer_accept"),
    path("public/waitlist-offers/decline/", public.OfferDeclineView.as_view(), name="offer_decline"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    # Anything else under /api/v1/ answers JSON, like the rest of the API.
    re_path(r"^[\s\S]*$", not_found),
]
