"""Moderation queue: editors and moderators approve stories, or reject them with a reason."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from careguide.web.stories.models import Story


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "condition", "status", "created", "reviewed_at"]
    list_filter = ["status", "condition"]
    search_fields = ["title", "body"]
    readonly_fields = [
        "condition",
        "title",
        "body",
        "display_name",
        "age_range",
        "consent",
        "created",
        "reviewed_at",
        "reviewed_by",
    ]
    fields = [
        "condition",
        "title",
        "body",
        "display_name",
        "age_range",
        "consent",
        "status",
        "rejection_reason",
        "created",
        "reviewed_at",
        "reviewed_by",
    ]
    actions = ["approve"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Story]:
        return super().get_queryset(request).select_related("reviewed_by")

    @admin.action(description="Approve selected stories", permissions=["change"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Story]) -> None:
        n = queryset.update(
            status=Story.Status.APPROVED, reviewed_at=timezone.now(), reviewed_by=request.user, rejection_reason=""
        )
        self.message_user(request, f"{n} story(ies) approved.", messages.SUCCESS)

    def save_model(self, request: HttpRequest, obj: Story, form: Any, change: bool) -> None:
        if "status" in form.changed_data:
            obj.reviewed_at = timezone.now()
            obj.reviewed_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # stories come from visitors, not from editors
