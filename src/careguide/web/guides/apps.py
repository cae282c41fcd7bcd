from django.apps import AppConfig
from django.db.models.signals import post_migrate


class GuidesConfig(AppConfig):
    name = "careguide.web.guides"
    label = "guides"
    verbose_name = "Guides and reviewers"

    def ready(self) -> None:
        from careguide.web.guides.groups import ensure_groups
        from careguide.web.knowledge import knowledge

        post_migrate.connect(ensure_groups, dispatch_uid="careguide_groups")
        # Validate and compile the knowledge at start-up, so an invalid pack stops the site at once.
        knowledge()
