from django.contrib import admin
from django.urls import include, path

from config import health, links
from workshops.views.accounts import signup

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("accounts/signup/", signup, name="signup"),
    path("accounts/password_reset/", links.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("workshops.api.urls")),
    path("live/", include("realtime.urls")),
    path("admin/", admin.site.urls),
    path("", include("workshops.urls")),
]
