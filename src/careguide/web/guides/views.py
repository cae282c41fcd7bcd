"""Home page, conditions A-Z, guide pages, and the story and feedback forms on them."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from careguide.kb import Condition
from careguide.kb.schema import TreatmentKind
from careguide.web.feedback.forms import FeedbackForm
from careguide.web.feedback.models import Feedback
from careguide.web.guides.content import (
    care_help,
    common_symptoms,
    render_article,
    risk_factors,
    sources_for,
    treatments_for,
    warning_signs,
    who_gets_it,
)
from careguide.web.guides.index import MAX_RESULTS, by_letter
from careguide.web.guides.index import search as search_guides
from careguide.web.guides.starting import starting_points
from careguide.web.knowledge import knowledge
from careguide.web.limits.rate import hit
from careguide.web.stories.forms import StoryForm
from careguide.web.stories.models import Story
from careguide.web.visitor import visitor_id

_MAX_QUERY = 100  # characters of a search kept: enough for any name, and bounds the work


def _condition(condition_id: str) -> Condition:
    k = knowledge()
    if condition_id not in k.condition_index:
        raise Http404("No such condition")
    return k.condition(condition_id)


def _letters(groups: dict[str, list[Condition]]) -> list[tuple[str, int]]:
    """The letter bar: every letter with how many guides start with it ('#' only when some do)."""
    return [(letter, len(items)) for letter, items in groups.items() if letter != "#" or items]


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    k = knowledge()
    return render(
        request,
        "careguide/home.html",
        {
            "letters": _letters(by_letter(k)),
            "complaints": starting_points(k),
            "total": len(k.conditions),
        },
    )


@require_GET
@cache_control(public=True, max_age=settings.CAREGUIDE_GUIDE_CACHE_SECONDS)
def conditions(request: HttpRequest) -> HttpResponse:
    """The A-Z index: one letter per page (``?letter=B``, the first letter by default), or the guides whose
    names match ``?q=``; plain links and a GET form, so it works without JavaScript."""
    k = knowledge()
    groups = by_letter(k)
    query = " ".join(request.GET.get("q", "").split())[:_MAX_QUERY]
    context: dict[str, object] = {"letters": _letters(groups), "query": query, "total": len(k.conditions)}
    if query:
        hits = search_guides(k, query)
        context.update(hits=hits[:MAX_RESULTS], matches=len(hits), letter=None)
    else:
        first = next((x for x, items in groups.items() if items), "A")
        letter = request.GET.get("letter", "").strip().upper() or first
        if letter not in groups:
            raise Http404("No such letter")
        context.update(letter=letter, items=groups[letter])
    return render(request, "careguide/conditions.html", context)


def _main_symptom(condition: Condition) -> str | None:
    """The complaint finding the condition most often presents with, to start the quiz from."""
    k = knowledge()
    best = max(
        ((link.p or 0.0, fid) for fid, link in condition.findings.items() if k.finding(fid).complaint),
        default=None,
    )
    return best[1] if best else None


def _guide_context(request: HttpRequest, condition: Condition, **extra: object) -> dict[str, object]:
    k = knowledge()
    article = k.articles.get(condition.id)
    sections, cited = render_article(article) if article else ([], [])
    main = _main_symptom(condition)
    treatments = treatments_for(k, condition.id)
    context: dict[str, object] = {
        "condition": condition,
        "article": article,
        "sections": sections,
        "symptoms": common_symptoms(k, condition),
        "risk_factors": risk_factors(k, condition),
        "treatments": [t for t in treatments if t.kind is not TreatmentKind.SELF_CARE],
        "self_care": [t for t in treatments if t.kind is TreatmentKind.SELF_CARE],
        "who": who_gets_it(condition),
        "warning_signs": warning_signs(k, condition),
        "sources": sources_for(k, condition, article, cited),
        "care_help": care_help(
            condition.care.value, settings.CAREGUIDE_EMERGENCY_NUMBER, settings.CAREGUIDE_URGENT_NUMBER
        ),
        "stories": Story.objects.filter(condition=condition.id, status=Story.Status.APPROVED)[:20],
        "story_form": StoryForm(),
        "feedback_form": FeedbackForm(),
        "quiz_url": f"{reverse('checker:start')}?complaint={main}" if main else reverse("checker:start"),
        "main_symptom": k.finding(main) if main else None,
        "notice": request.GET.get("done"),
    }
    context.update(extra)
    return context


@require_GET
@cache_control(public=True, max_age=settings.CAREGUIDE_GUIDE_CACHE_SECONDS)
def guide(request: HttpRequest, condition_id: str) -> HttpResponse:
    condition = _condition(condition_id)
    return render(request, "careguide/guide.html", _guide_context(request, condition))


def _same_site(request: HttpRequest) -> bool:
    """Guide pages are cacheable, so their forms carry no CSRF token; cross-site posts are refused instead."""
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin in (f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS)
    return request.headers.get("Sec-Fetch-Site", "same-origin") in ("same-origin", "none")


def _rate_limited(request: HttpRequest, bucket: str, limit: int, window: int) -> int | None:
    """Seconds until this client address may try again, if it has used up ``limit`` in the current window
    (cookies do not matter); None if it may go ahead."""
    result = hit(request, bucket, limit, window)
    return None if result.allowed else result.retry_after


@csrf_exempt  # the cacheable guide page carries no token; _same_site() refuses cross-site posts instead
@require_POST
def submit_story(request: HttpRequest, condition_id: str) -> HttpResponse:
    condition = _condition(condition_id)
    if not _same_site(request):
        return HttpResponse("Cross-site form submission refused.", status=403)
    form = StoryForm(request.POST)
    if form.is_valid() and form.cleaned_data.get("website"):
        # A bot filled the honeypot: pretend success and keep nothing.
        return HttpResponseRedirect(reverse("guides:guide", args=[condition.id]) + "?done=story#stories")
    if form.is_valid():
        retry_after = _rate_limited(request, "story", settings.CAREGUIDE_STORIES_PER_HOUR, 3600)
        if retry_after is not None:
            response = render(
                request,
                "careguide/guide.html",
                _guide_context(
                    request,
                    condition,
                    story_form=form,
                    story_error="You have sent several stories in the last hour. Please try again later.",
                ),
                status=429,
            )
            response["Retry-After"] = str(retry_after)
            return response
        story = form.save(commit=False)
        story.condition = condition.id
        story.save()
        return HttpResponseRedirect(reverse("guides:guide", args=[condition.id]) + "?done=story#stories")
    return render(request, "careguide/guide.html", _guide_context(request, condition, story_form=form), status=400)


@csrf_exempt  # as submit_story
@require_POST
def submit_feedback(request: HttpRequest, condition_id: str) -> HttpResponse:
    condition = _condition(condition_id)
    if not _same_site(request):
        return HttpResponse("Cross-site form submission refused.", status=403)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return render(
            request, "careguide/guide.html", _guide_context(request, condition, feedback_form=form), status=400
        )
    # The visitor's session is created (a write of its own) before the vote's transaction, not inside it.
    voter = visitor_id(request)
    window = settings.CAREGUIDE_VOTE_WINDOW_HOURS * 3600
    if _rate_limited(request, f"vote:{condition.id}", 1, window) is not None:
        # One vote per guide per address in the window, with or without the cookie.
        return HttpResponseRedirect(reverse("guides:guide", args=[condition.id]) + "?done=feedback-again#feedback")
    try:
        with transaction.atomic():  # a savepoint, so a duplicate vote does not spoil the request's transaction
            Feedback.objects.create(
                condition=condition.id,
                helpful=form.cleaned_data["helpful"],
                comment=form.cleaned_data["comment"],
                voter=voter,
            )
        done = "feedback"
    except IntegrityError:  # the same browser again, from another address
        done = "feedback-again"
    return HttpResponseRedirect(reverse("guides:guide", args=[condition.id]) + f"?done={done}#feedback")


@require_GET
@cache_control(public=True, max_age=3600)
def about(request: HttpRequest) -> HttpResponse:
    k = knowledge()
    return render(
        request,
        "careguide/about.html",
        {
            "pack": k.pack,
            "retention_hours": settings.CAREGUIDE_QUIZ_RETENTION_HOURS,
            "session_days": settings.SESSION_COOKIE_AGE // 86400,
        },
    )


@require_GET
@cache_control(public=True, max_age=86400)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links: send them to the site's own icon. Looked up
    per request (not when the URLs load), so a missing static file cannot stop the site starting."""
    return HttpResponseRedirect(static("careguide/favicon.svg"))
