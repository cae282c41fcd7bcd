"""'Was this article helpful?': one vote per visitor session per guide."""

from __future__ import annotations

from django.db import models


class Feedback(models.Model):
    condition = models.CharField(max_length=64, db_index=True)
    helpful = models.BooleanField()
    comment = models.TextField(max_length=1000, blank=True)
    # Hash of the visitor's session cookie, only to allow one vote per guide; not linkable to a person.
    voter = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["condition", "voter"], name="one_vote_per_guide")]
        ordering = ["-created"]
        verbose_name_plural = "feedback"

    def __str__(self) -> str:
        return f"{self.condition}: {'helpful' if self.helpful else 'not helpful'}"
