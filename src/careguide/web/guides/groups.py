"""The editor and moderator groups, created (or brought up to date) after every migration."""

from __future__ import annotations

from typing import Any

GROUPS: dict[str, list[str]] = {
    # Moderators review patient stories.
    "Moderators": ["stories.view_story", "stories.change_story"],
    # Editors also read feedback and statistics and keep the reviewer profiles.
    "Editors": [
        "stories.view_story",
        "stories.change_story",
        "stories.delete_story",
        "feedback.view_feedback",
        "feedback.delete_feedback",
        "checker.view_quizoutcome",
        "guides.view_reviewerprofile",
        "guides.add_reviewerprofile",
        "guides.change_reviewerprofile",
        "guides.delete_reviewerprofile",
    ],
}


def ensure_groups(**kwargs: Any) -> None:
    from django.contrib.auth.models import Group, Permission

    for name, perms in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if found is not None:
                wanted.append(found)
        group.permissions.set(wanted)
