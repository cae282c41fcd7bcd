"""Quiz sessions (a person's answers, kept briefly) and anonymous quiz statistics."""

from __future__ import annotations

import uuid

from django.db import models


class QuizSession(models.Model):
    """A quiz in progress: just its list of answers, so any worker can compute the next step.

    Kept for CAREGUIDE_QUIZ_RETENTION_HOURS after the last answer, then deleted by
    ``careguide manage purge_quiz_sessions``. No name, e-mail, IP address or account is stored; ``owner`` is
    a hash of the visitor's session cookie, so only the browser that started a quiz can see it.
    """

    class Subject(models.TextChoices):
        SELF = "self", "Me"
        CHILD = "child", "My child"
        OTHER = "other", "Someone else"

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.CharField(max_length=64, db_index=True)
    # Whom the answers are about: questions are worded for them ("Do they have...?" for someone else).
    subject = models.CharField(max_length=5, choices=Subject.choices, default=Subject.SELF)
    age = models.PositiveSmallIntegerField()
    age_months = models.PositiveSmallIntegerField(null=True, blank=True)  # for a child under 2, when given
    sex = models.CharField(max_length=6, choices=Sex.choices)
    complaint = models.CharField(max_length=64)
    answers = models.JSONField(default=list)  # [[finding_id, answer], ...] in the order answered
    # What the person wrote in their own words, read before the questions: answers, not questions asked.
    volunteered = models.JSONField(default=list)
    # Emergency warnings the person has seen and chosen to go on past (red-flag rule ids).
    alerts_seen = models.JSONField(default=list)
    finished = models.BooleanField(default=False)
    # SHA-256 of the share link's random token, when the person made one: the token itself is shown once and
    # never stored, so the database alone cannot open a shared result. The link lasts as long as the quiz.
    share_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True, db_index=True)

    def __str__(self) -> str:
        return f"Quiz {self.id} ({len(self.answers)} answers)"


class QuizOutcome(models.Model):
    """How many quizzes ended at each care level, per day and main complaint. No personal data."""

    day = models.DateField()
    complaint = models.CharField(max_length=64)
    care_level = models.CharField(max_length=16)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "complaint", "care_level"], name="one_outcome_row")]
        ordering = ["-day", "complaint", "care_level"]
        verbose_name = "quiz statistic"

    def __str__(self) -> str:
        return f"{self.day} {self.complaint} {self.care_level}: {self.count}"
