from django.urls import path

from workshops import views

urlpatterns = [
    path("", views.home, name="home"),
]
