"""Patient stories: submitted by visitors, shown only after an editor approves them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class Story(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending review"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    class AgeRange(models.TextChoices):
        UNSPECIFIED = "", "Prefer not to say"
        A16_24 = "16-24", "16 to 24"
        A25_34 = "25-34", "25 to 34"
        A35_44 = "35-44", "35 to 44"
        A45_54 = "45-54", "45 to 54"
        A55_64 = "55-64", "55 to 64"
        A65_74 = "65-74", "65 to 74"
        A75 = "75+", "75 or over"

    condition = models.CharField(max_length=64, db_index=True)
    title = models.CharField(max_length=120)
    body = models.TextField(max_length=5000)
    display_name = models.CharField(max_length=60, blank=True, help_text="Optional; shown with the story")
    age_range = models.CharField(max_length=5, choices=AgeRange.choices, blank=True)
    consent = models.BooleanField(help_text="The writer agreed to publication under the site's terms")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True)
    rejection_reason = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-created"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    def clean(self) -> None:
        if self.status == self.Status.REJECTED and not self.rejection_reason.strip():
            raise ValidationError({"rejection_reason": "Give the reason for rejecting this story."})
        if not self.consent:
            raise ValidationError({"consent": "A story can only be kept with the writer's consent."})
