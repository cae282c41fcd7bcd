from django.urls import path

from careguide.web.checker import sharing, views

app_name = "checker"
urlpatterns = [
    path("", views.start, name="start"),
    path("<uuid:session_id>/", views.question, name="question"),
    path("<uuid:session_id>/back/", views.back, name="back"),
    path("<uuid:session_id>/change/<slug:finding_id>/", views.change, name="change"),
    path("<uuid:session_id>/add/", views.add, name="add"),
    path("<uuid:session_id>/forget/<slug:finding_id>/", views.forget, name="forget"),
    path("<uuid:session_id>/results/", views.results, name="results"),
    path("<uuid:session_id>/summary/", views.summary, name="summary"),
    path("<uuid:session_id>/report.pdf", sharing.own_report_pdf, name="report_pdf"),
    path("<uuid:session_id>/report.fhir.json", sharing.own_report_fhir, name="report_fhir"),
    path("<uuid:session_id>/share/", sharing.share, name="share"),
    path("shared/<str:token>/", sharing.shared, name="shared"),
    path("shared/<str:token>/report.pdf", sharing.shared_report_pdf, name="shared_report_pdf"),
    path("shared/<str:token>/report.fhir.json", sharing.shared_report_fhir, name="shared_report_fhir"),
]
