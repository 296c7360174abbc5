from django.urls import path

from feedback import views

urlpatterns = [
    path("", views.report_page, name="feedback_report"),
    path("report.csv", views.report_csv, name="feedback_report_csv"),
    path("survey/", views.survey_page, name="feedback_survey"),
]
