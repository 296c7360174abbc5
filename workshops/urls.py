from django.urls import include, path

from workshops.views import accounts, public

urlpatterns = [
    path("", accounts.home, name="home"),
    path("w/<str:public_id>/", public.workshop_register, name="workshop_register"),
    path("w/<str:public_id>/sent/", public.workshop_registered, name="workshop_registered"),
    path("i/<str:token>", public.invitation_open, name="invitation_open"),
    path("me/", public.my_enrollment, name="my_enrollment"),
    path("me/cancel", public.my_enrollment_cancel, name="my_enrollment_cancel"),
    path("me/cancel/undo", public.my_enrollment_undo, name="my_enrollment_undo"),
    path("me/calendar.ics", public.my_calendar, name="my_calendar"),
    path("offer/<str:token>", public.offer_open, name="offer_open"),
    path("me/offer/", public.my_offer, name="my_offer"),
    path("staff/invitation/<str:token>", public.staff_invitation_open, name="staff_invitation_open"),
    path("staff/invitation/", public.staff_invitation, name="staff_invitation"),
    path("staff/calendar/", public.my_staff_calendar, name="my_staff_calendar"),
    path("ical/workshop/<int:workshop_id>/<str:token>.ics", public.workshop_feed, name="workshop_feed"),
    path("ical/staff/<int:user_id>/<str:token>.ics", public.staff_feed, name="staff_feed"),
    path("", include("workshops.organizer_urls")),
    path("o/<orgslug:slug>/feedback/", include("feedback.urls")),
]
