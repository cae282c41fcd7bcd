"""The report for a doctor (PDF and FHIR), and share links that open a quiz's results read-only elsewhere.

A share link carries a random token; only its SHA-256 is stored. It works for as long as the quiz is kept
(CAREGUIDE_QUIZ_RETENTION_HOURS after the last answer); after that it answers 410 with a page that says so.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from careguide.engine import Step
from careguide.report import Report, build_report, fhir_bundle, report_pdf
from careguide.web.checker.logic import case_of, is_expired
from careguide.web.checker.models import QuizSession
from careguide.web.checker.views import _session, _step_or_restart
from careguide.web.knowledge import knowledge

__all__ = [
    "make_report",
    "new_share_token",
    "own_report_fhir",
    "own_report_pdf",
    "share",
    "shared",
    "shared_report_fhir",
    "shared_report_pdf",
    "token_hash",
]

# 256 random bits (43 URL-safe characters): not guessable, however many links are tried.
TOKEN_BYTES = 32


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_share_token(session: QuizSession) -> str:
    """A fresh token for ``session``; any earlier link stops working."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.share_hash = token_hash(token)
    # update_fields leaves ``updated`` alone: making a link does not extend how long the quiz is kept.
    session.save(update_fields=["share_hash"])
    return token


def _expires(session: QuizSession) -> datetime:
    """When the quiz, and so its share link, is deleted (the same rule as logic.is_expired)."""
    return timezone.localtime(session.updated + timedelta(hours=settings.CAREGUIDE_QUIZ_RETENTION_HOURS))


def make_report(session: QuizSession, result: Step) -> Report:
    return build_report(
        knowledge(),
        case_of(session),
        result,
        timezone.localtime(),
        settings.CAREGUIDE_EMERGENCY_NUMBER,
        settings.CAREGUIDE_URGENT_NUMBER,
    )


def _pdf_response(report: Report) -> HttpResponse:
    response = HttpResponse(report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="careguide-summary.pdf"'
    return response


def _fhir_response(report: Report) -> HttpResponse:
    response = HttpResponse(json.dumps(fhir_bundle(report), indent=2), content_type="application/fhir+json")
    response["Content-Disposition"] = 'attachment; filename="careguide-summary.fhir.json"'
    return response


def _own(request: HttpRequest, session_id: uuid.UUID) -> tuple[QuizSession, Step] | HttpResponse:
    session = _session(request, session_id)
    result = _step_or_restart(request, session)
    return result if isinstance(result, HttpResponse) else (session, result)


@never_cache
@require_GET
def own_report_pdf(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    got = _own(request, session_id)
    return got if isinstance(got, HttpResponse) else _pdf_response(make_report(*got))


@never_cache
@require_GET
def own_report_fhir(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    got = _own(request, session_id)
    return got if isinstance(got, HttpResponse) else _fhir_response(make_report(*got))


@never_cache
@require_POST
def share(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    """Make a share link and show it once (only its hash is kept, so it cannot be shown again)."""
    got = _own(request, session_id)
    if isinstance(got, HttpResponse):
        return got
    session, _ = got
    token = new_share_token(session)
    return render(
        request,
        "careguide/checker/share.html",
        {
            "session": session,
            "link": request.build_absolute_uri(reverse("checker:shared", args=[token])),
            "expires": _expires(session),
        },
    )


def _shared(request: HttpRequest, token: str) -> tuple[QuizSession, Step] | HttpResponse:
    session = QuizSession.objects.filter(share_hash=token_hash(token)).first()
    if session is None or is_expired(session):
        # A purged quiz leaves no trace to tell "expired" from "replaced by a newer link", so both say gone.
        context = {"hours": settings.CAREGUIDE_QUIZ_RETENTION_HOURS}
        return render(request, "careguide/checker/expired.html", context, status=410)
    result = _step_or_restart(request, session)
    return result if isinstance(result, HttpResponse) else (session, result)


@never_cache
@require_GET
def shared(request: HttpRequest, token: str) -> HttpResponse:
    got = _shared(request, token)
    if isinstance(got, HttpResponse):
        return got
    session, result = got
    response = render(
        request,
        "careguide/checker/shared.html",
        {"report": make_report(session, result), "token": token, "expires": _expires(session)},
    )
    # The token is in the address: keep it out of the Referer sent to any page linked from here.
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_GET
def shared_report_pdf(request: HttpRequest, token: str) -> HttpResponse:
    got = _shared(request, token)
    return got if isinstance(got, HttpResponse) else _pdf_response(make_report(*got))


@never_cache
@require_GET
def shared_report_fhir(request: HttpRequest, token: str) -> HttpResponse:
    got = _shared(request, token)
    return got if isinstance(got, HttpResponse) else _fhir_response(make_report(*got))
