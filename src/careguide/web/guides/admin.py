from __future__ import annotations

from django.contrib import admin

from careguide.web.guides.models import ReviewerProfile


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "role", "organisation", "registration", "active"]
    list_filter = ["active", "organisation"]
    search_fields = ["name", "role", "organisation"]
