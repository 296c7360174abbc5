from django.urls import path

from realtime import app_views, installable, views

urlpatterns = [
    path("protocol.json", views.protocol_schema, name="live_protocol"),
    path("api/join/code", views.join_by_code, name="live_join_code"),
    path("api/join/invitation", views.join_by_invitation, name="live_join_invitation"),
    path("api/enter", views.enter, name="live_enter"),
    path("api/sessions/<int:session_id>/me", views.me, name="live_me"),
    path("api/pair/start", views.pair_start, name="live_pair_start"),
    path("api/pair/join", views.pair_join, name="live_pair_join"),
    path("api/sessions/<int:session_id>/pair/pending", views.pair_pending, name="live_pair_pending"),
    path("api/pair/key", views.pair_key, name="live_pair_key"),
    path("api/pair/confirm", views.pair_confirm, name="live_pair_confirm"),
    path("api/pair/unpair", views.pair_unpair, name="live_pair_unpair"),
    path("api/pair/one-phone", views.pair_one_phone, name="live_pair_one_phone"),
    path("api/erase", views.erase_my_data, name="live_erase"),
    path("pair/<str:code>", views.pairing_link, name="live_pairing_link"),
]

# The live apps' pages (realtime/app_views.py).
urlpatterns += [
    path("", app_views.participant_app, name="live_app"),
    path("facilitate/<int:session_id>/", app_views.facilitator_app, name="live_facilitate"),
    path("projector/<int:session_id>/", app_views.projector_app, name="live_projector"),
]

# The participant app installed and offline (realtime/installable.py).
urlpatterns += [
    path("manifest.webmanifest", installable.web_manifest, name="live_manifest"),
    path("shell/<str:language>", installable.offline_shell, name="live_shell"),
    path("sw.js", installable.service_worker, name="live_service_worker"),
]
