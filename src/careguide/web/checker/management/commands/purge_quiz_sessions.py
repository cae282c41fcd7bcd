"""Delete quiz sessions older than the retention time (CAREGUIDE_QUIZ_RETENTION_HOURS), and rate-limit
counters whose window has ended."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from careguide.web.checker.models import QuizSession
from careguide.web.limits.rate import purge_expired


class Command(BaseCommand):
    help = "Delete quiz sessions not updated for CAREGUIDE_QUIZ_RETENTION_HOURS (default 24)."

    def handle(self, *args: Any, **options: Any) -> None:
        cutoff = timezone.now() - timedelta(hours=settings.CAREGUIDE_QUIZ_RETENTION_HOURS)
        deleted, _ = QuizSession.objects.filter(updated__lt=cutoff).delete()
        self.stdout.write(f"deleted {deleted} quiz session(s) last updated before {cutoff:%Y-%m-%d %H:%M} UTC")
        counters = purge_expired()
        self.stdout.write(f"deleted {counters} rate-limit counter(s) whose window had ended")
