from django.urls import include, path

from config import health, metrics
from config.i18n import choose_language
from realtime.installable import favicon
from workshops.views.accounts import LimitedPasswordResetView, SignInView, signup

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("favicon.ico", favicon, name="favicon"),
    path("metrics", metrics.metrics_view, name="metrics"),  # bearer METRICS_TOKEN only (config/metrics.py)
    path("i18n/setlang/", choose_language, name="set_language"),
    path("accounts/signup/", signup, name="signup"),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/password_reset/", LimitedPasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("workshops.api.urls")),
    path("live/", include("realtime.urls")),
    path("", include("workshops.urls")),
]
