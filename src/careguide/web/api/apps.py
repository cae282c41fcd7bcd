from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "careguide.web.api"
    label = "api"
    verbose_name = "API"
