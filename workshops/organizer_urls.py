"""Organizer pages (server-rendered, work with JavaScript off). Every write is a POST that redirects."""

from django.urls import path

from workshops.views import organizer as views

W = "o/<slug:slug>/workshops/<int:pk>/"

urlpatterns = [
    path("o/new/", views.org_create, name="org_create"),
    path("o/<slug:slug>/", views.dashboard, name="org_dashboard"),
    path("o/<slug:slug>/settings/", views.org_settings, name="org_settings"),
    # Library: exercises
    path("o/<slug:slug>/library/", views.library, name="library"),
    path("o/<slug:slug>/library/new/", views.exercise_new, name="exercise_new"),
    path("o/<slug:slug>/library/<int:pk>/", views.exercise_detail, name="exercise_detail"),
    path("o/<slug:slug>/library/<int:pk>/edit/", views.exercise_edit, name="exercise_edit"),
    path("o/<slug:slug>/library/<int:pk>/copy/", views.exercise_copy, name="exercise_copy"),
    path("o/<slug:slug>/library/<int:pk>/delete/", views.exercise_delete, name="exercise_delete"),
    # Programs
    path("o/<slug:slug>/programs/", views.programs, name="programs"),
    path("o/<slug:slug>/programs/new/", views.program_new, name="program_new"),
    path("o/<slug:slug>/programs/<int:pk>/", views.program_detail, name="program_detail"),
    path("o/<slug:slug>/programs/<int:pk>/edit/", views.program_edit, name="program_edit"),
    path("o/<slug:slug>/programs/<int:pk>/items/", views.program_items, name="program_items"),
    path("o/<slug:slug>/programs/<int:pk>/items/add/", views.program_item_add, name="program_item_add"),
    path("o/<slug:slug>/programs/<int:pk>/copy/", views.program_copy, name="program_copy"),
    path("o/<slug:slug>/programs/<int:pk>/delete/", views.program_delete, name="program_delete"),
    # Workshops and sessions
    path("o/<slug:slug>/workshops/", views.workshops, name="workshops"),
    path("o/<slug:slug>/workshops/new/", views.workshop_new, name="workshop_new"),
    path(W, views.workshop_detail, name="workshop_detail"),
    path(W + "edit/", views.workshop_edit, name="workshop_edit"),
    path(W + "sessions/new/", views.session_new, name="session_new"),
    path(W + "sessions/<int:session_pk>/edit/", views.session_edit, name="session_edit"),
    path(W + "sessions/<int:session_pk>/delete/", views.session_delete, name="session_delete"),
    path(W + "facilitators/", views.workshop_facilitators, name="workshop_facilitators"),
    path(W + "publish/", views.workshop_publish, name="workshop_publish"),
    path(W + "cancel/", views.workshop_cancel, name="workshop_cancel"),
    path(W + "calendar/rotate/", views.workshop_calendar_rotate, name="workshop_calendar_rotate"),
    # Enrollments
    path(W + "enrollments/", views.enrollments, name="enrollments"),
    path(W + "enrollments/<int:enrollment_pk>/cancel/", views.enrollment_cancel, name="enrollment_cancel"),
    path(W + "enrollments/<int:enrollment_pk>/resend/", views.enrollment_resend, name="enrollment_resend"),
    # Staff
    path("o/<slug:slug>/staff/", views.staff, name="staff"),
    path("o/<slug:slug>/staff/invite/", views.staff_invite, name="staff_invite"),
    path("o/<slug:slug>/staff/<int:membership_pk>/role/", views.membership_role, name="membership_role"),
    path("o/<slug:slug>/staff/<int:membership_pk>/remove/", views.membership_remove, name="membership_remove"),
    path(
        "o/<slug:slug>/staff/invitations/<int:invitation_pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
