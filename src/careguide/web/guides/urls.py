from django.urls import path

from careguide.web.guides import views

app_name = "guides"
urlpatterns = [
    path("", views.home, name="home"),
    path("conditions/", views.conditions, name="conditions"),
    path("conditions/<slug:condition_id>/", views.guide, name="guide"),
    path("conditions/<slug:condition_id>/stories/", views.submit_story, name="submit_story"),
    path("conditions/<slug:condition_id>/feedback/", views.submit_feedback, name="submit_feedback"),
    path("about/", views.about, name="about"),
    path("favicon.ico", views.favicon, name="favicon"),
]
