"""Organizer pages (server-rendered, work with JavaScript off)."""

from django.urls import path

from workshops.views import organizer

urlpatterns = [
    path("o/new/", organizer.org_create, name="org_create"),
    path("o/<slug:slug>/", organizer.dashboard, name="org_dashboard"),
]
