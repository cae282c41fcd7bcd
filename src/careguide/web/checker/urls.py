from django.urls import path

from careguide.web.checker import views

app_name = "checker"
urlpatterns = [
    path("", views.start, name="start"),
    path("<uuid:session_id>/", views.question, name="question"),
    path("<uuid:session_id>/back/", views.back, name="back"),
    path("<uuid:session_id>/change/<slug:finding_id>/", views.change, name="change"),
    path("<uuid:session_id>/results/", views.results, name="results"),
    path("<uuid:session_id>/summary/", views.summary, name="summary"),
]
