from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "careguide.web.feedback"
    label = "feedback"
    verbose_name = "Feedback"
