from django.apps import AppConfig


class CheckerConfig(AppConfig):
    name = "careguide.web.checker"
    label = "checker"
    verbose_name = "Quiz"
