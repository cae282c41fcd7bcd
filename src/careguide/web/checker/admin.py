"""Quiz statistics for editors: counts by day, complaint and care level. No personal data."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse

from careguide.web.checker.models import QuizOutcome


@admin.register(QuizOutcome)
class QuizOutcomeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["day", "complaint", "care_level", "count"]
    list_filter = ["care_level", "complaint", "day"]
    change_list_template = "admin/checker/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        by_level = QuizOutcome.objects.values("care_level").annotate(total=Sum("count")).order_by("care_level")
        by_complaint = QuizOutcome.objects.values("complaint").annotate(total=Sum("count")).order_by("-total")
        context = {"by_level": by_level, "by_complaint": by_complaint}
        return super().changelist_view(request, {**(extra_context or {}), **context})
