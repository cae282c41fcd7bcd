from django.apps import AppConfig


class StoriesConfig(AppConfig):
    name = "careguide.web.stories"
    label = "stories"
    verbose_name = "Stories"
