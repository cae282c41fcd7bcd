"""Reviewer profiles: the real clinicians an organisation records as reviewers of its guides.

None are shipped: a guide stays "not yet medically reviewed" until an organisation adds a real reviewer
and records the review in the knowledge (``reviewed_by`` in the guide's front matter).
"""

from __future__ import annotations

from django.db import models


class ReviewerProfile(models.Model):
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=120, help_text="For example: consultant spinal surgeon")
    registration = models.CharField(
        max_length=60, blank=True, help_text="Professional registration number, shown on reviewed guides"
    )
    organisation = models.CharField(max_length=120, blank=True)
    active = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.role}"
