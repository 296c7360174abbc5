"""Organizer pages (server-rendered, work with JavaScript off). Every write is a POST that redirects."""

from django.urls import path

from workshops.views.organizer import attendees, enrollment, library, organizations, questions, scheduling, staff

W = "o/<orgslug:slug>/workshops/<int:pk>/"

urlpatterns = [
    path("o/new/", organizations.org_create, name="org_create"),
    path("o/<orgslug:slug>/", organizations.dashboard, name="org_dashboard"),
    path("o/<orgslug:slug>/settings/", organizations.org_settings, name="org_settings"),
    # Library: exercises
    path("o/<orgslug:slug>/library/", library.library, name="library"),
    path("o/<orgslug:slug>/library/new/", library.exercise_new, name="exercise_new"),
    path("o/<orgslug:slug>/library/<int:pk>/", library.exercise_detail, name="exercise_detail"),
    path("o/<orgslug:slug>/library/<int:pk>/edit/", library.exercise_edit, name="exercise_edit"),
    path("o/<orgslug:slug>/library/<int:pk>/copy/", library.exercise_copy, name="exercise_copy"),
    path("o/<orgslug:slug>/library/<int:pk>/use/", library.exercise_use_in_program, name="exercise_use_in_program"),
    path("o/<orgslug:slug>/library/<int:pk>/delete/", library.exercise_delete, name="exercise_delete"),
    # Programs
    path("o/<orgslug:slug>/programs/", library.programs, name="programs"),
    path("o/<orgslug:slug>/programs/new/", library.program_new, name="program_new"),
    path("o/<orgslug:slug>/programs/<int:pk>/", library.program_detail, name="program_detail"),
    path("o/<orgslug:slug>/programs/<int:pk>/edit/", library.program_edit, name="program_edit"),
    path("o/<orgslug:slug>/programs/<int:pk>/items/", library.program_items, name="program_items"),
    path("o/<orgslug:slug>/programs/<int:pk>/items/add/", library.program_item_add, name="program_item_add"),
    path("o/<orgslug:slug>/programs/<int:pk>/copy/", library.program_copy, name="program_copy"),
    path("o/<orgslug:slug>/programs/<int:pk>/delete/", library.program_delete, name="program_delete"),
    # Workshops and sessions
    path("o/<orgslug:slug>/workshops/", scheduling.workshops, name="workshops"),
    path("o/<orgslug:slug>/workshops/new/", scheduling.workshop_new, name="workshop_new"),
    path(W, scheduling.workshop_detail, name="workshop_detail"),
    path(W + "edit/", scheduling.workshop_edit, name="workshop_edit"),
    path(W + "sessions/new/", scheduling.session_new, name="session_new"),
    path(W + "sessions/<int:session_pk>/edit/", scheduling.session_edit, name="session_edit"),
    path(W + "sessions/<int:session_pk>/delete/", scheduling.session_delete, name="session_delete"),
    path(W + "facilitators/", scheduling.workshop_facilitators, name="workshop_facilitators"),
    path(W + "publish/", scheduling.workshop_publish, name="workshop_publish"),
    path(W + "cancel/", scheduling.workshop_cancel, name="workshop_cancel"),
    path(W + "calendar/rotate/", scheduling.workshop_calendar_rotate, name="workshop_calendar_rotate"),
    # Enrollments
    path(W + "enrollments/", enrollment.enrollments, name="enrollments"),
    path(W + "enrollments/<int:enrollment_pk>/cancel/", enrollment.enrollment_cancel, name="enrollment_cancel"),
    path(W + "enrollments/<int:enrollment_pk>/resend/", enrollment.enrollment_resend, name="enrollment_resend"),
    path(W + "enrollments/add/", attendees.enrollment_add, name="enrollment_add"),
    path(W + "enrollments/export.csv", attendees.attendees_export, name="attendees_export"),
    path(W + "enrollments/message/", attendees.attendees_message, name="attendees_message"),
    # Registration questions
    path(W + "questions/", questions.questions, name="questions"),
    path(W + "questions/add/", questions.question_add, name="question_add"),
    path(W + "questions/<int:question_pk>/edit/", questions.question_edit, name="question_edit"),
    path(W + "questions/<int:question_pk>/delete/", questions.question_delete, name="question_delete"),
    path(W + "questions/<int:question_pk>/move/", questions.question_move, name="question_move"),
    # Staff
    path("o/<orgslug:slug>/staff/", staff.staff, name="staff"),
    path("o/<orgslug:slug>/staff/invite/", staff.staff_invite, name="staff_invite"),
    path("o/<orgslug:slug>/staff/<int:membership_pk>/role/", staff.membership_role, name="membership_role"),
    path("o/<orgslug:slug>/staff/<int:membership_pk>/remove/", staff.membership_remove, name="membership_remove"),
    path("o/<orgslug:slug>/staff/<int:membership_pk>/workshops/", staff.member_workshops, name="member_workshops"),
    path(
        "o/<orgslug:slug>/staff/invitations/<int:invitation_pk>/resend/",
        staff.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "o/<orgslug:slug>/staff/invitations/<int:invitation_pk>/revoke/",
        staff.invitation_revoke,
        name="invitation_revoke",
    ),
]
