from django.apps import AppConfig


class LimitsConfig(AppConfig):
    name = "careguide.web.limits"
    label = "limits"
    verbose_name = "Rate limits"
