"""Personas for the site tests: a visitor (anonymous browser), an editor and a moderator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from careguide.kb import back_pain_path
from careguide.web.knowledge import config, knowledge


@pytest.fixture
def visitor() -> Client:
    return Client()


def _staff(username: str, group: str) -> User:
    user = User.objects.create_user(username, password="correct horse battery staple", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db: None) -> User:
    return _staff("editor", "Editors")


@pytest.fixture
def moderator(db: None) -> User:
    return _staff("moderator", "Moderators")


@pytest.fixture
def editor_client(editor: User) -> Client:
    c = Client()
    c.force_login(editor)
    return c


@pytest.fixture
def moderator_client(moderator: User) -> Client:
    c = Client()
    c.force_login(moderator)
    return c


@pytest.fixture
def back_pain_pack(settings: Any) -> Iterator[None]:
    """The site on the back-pain pack (adults, min_age 16), as a deployment with CAREGUIDE_KB set runs it."""
    settings.CAREGUIDE_KB = str(back_pain_path())
    knowledge.cache_clear()
    config.cache_clear()
    yield
    knowledge.cache_clear()
    config.cache_clear()
