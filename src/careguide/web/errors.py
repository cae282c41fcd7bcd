"""Errors people and programs can read: JSON for the API (never an HTML page), friendly pages for the site."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static

__all__ = ["ApiBodyLimitMiddleware", "page_not_found", "server_error"]


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


class ApiBodyLimitMiddleware:
    """Refuse an API request whose declared body is larger than CAREGUIDE_API_MAX_BODY_BYTES with a JSON 413,
    before anything reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _is_api(request):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            limit = settings.CAREGUIDE_API_MAX_BODY_BYTES
            if length > limit:
                return JsonResponse({"detail": f"The request body is too large (at most {limit} bytes)."}, status=413)
        return self.get_response(request)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return HttpResponse(render_to_string("404.html", request=request), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": "Server error."}, status=500)
    # Rendered without the request and without the base layout: a context processor, a URL or a static
    # file's manifest entry may be what failed.
    context = {
        "emergency_number": settings.CAREGUIDE_EMERGENCY_NUMBER,
        "urgent_number": settings.CAREGUIDE_URGENT_NUMBER,
        "organisation": settings.CAREGUIDE_ORGANISATION,
        "stylesheet": _static_or_none("careguide/site.css"),
        "favicon": _static_or_none("careguide/favicon.svg"),
    }
    return HttpResponse(render_to_string("500.html", context), status=500)


def _static_or_none(path: str) -> str | None:
    """A static file's URL, or None if it cannot be had (a missing manifest entry): the page goes unstyled."""
    try:
        return static(path)
    except Exception:  # whatever went wrong, the error page must still render
        return None


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": "Bad request."}, status=400)
    from django.views.defaults import bad_request as default

    return default(request, exception)  # type: ignore[arg-type]
