"""Personas for the site tests: a visitor (anonymous browser), an editor and a moderator."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client


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
