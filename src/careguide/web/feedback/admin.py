"""Feedback on guides: every vote and comment, and the counts per guide."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse

from careguide.web.feedback.models import Feedback


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["condition", "helpful", "comment", "created"]
    list_filter = ["helpful", "condition"]
    search_fields = ["comment"]
    readonly_fields = ["condition", "helpful", "comment", "created"]
    exclude = ["voter"]
    change_list_template = "admin/feedback/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        totals = (
            Feedback.objects.values("condition")
            .annotate(
                yes=Count("id", filter=Q(helpful=True)),
                no=Count("id", filter=Q(helpful=False)),
                comments=Count("id", filter=~Q(comment="")),
            )
            .order_by("condition")
        )
        return super().changelist_view(request, {**(extra_context or {}), "totals": totals})
