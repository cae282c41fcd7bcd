"""The quiz: start (age, sex, main complaint), one question per page, back and change, results."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from careguide.engine import Explanation, InputError, Step, question_text, treatment_options
from careguide.engine.treatments import SELF_TREATMENT
from careguide.engine.triage import CARE_WORDS
from careguide.kb import CareLevel, Finding
from careguide.report.content import CARE_TITLES as REPORT_CARE_TITLES
from careguide.report.content import answer_text
from careguide.text import Parsed, parse, search, to_evidence
from careguide.text.context import about
from careguide.text.understood import named_complaint, named_complaints, not_understood
from careguide.web.checker.care import care_plan, warning_signs
from careguide.web.checker.forms import StartForm
from careguide.web.checker.logic import case_of, is_expired, parse_answer, prune, record_outcome, run
from careguide.web.checker.models import QuizSession
from careguide.web.guides.content import care_help
from careguide.web.knowledge import config, knowledge
from careguide.web.visitor import visitor_id

# One message everywhere: the results page, the printable summary and the report share these titles.
CARE_TITLES = REPORT_CARE_TITLES | {"self_care": "You can probably look after this yourself"}
# Worded for a child or someone else: the advice is about them, not the person answering.
CARE_TITLES_FOR_OTHERS = REPORT_CARE_TITLES | {"self_care": "This can probably be looked after at home"}
RESULTS_TITLES = {
    "self": "Your results",
    "child": "Results for your child",
    "other": "Results for the person you asked for",
}


def _care_help(level: str, subject: str) -> str:
    text = care_help(level, settings.CAREGUIDE_EMERGENCY_NUMBER, settings.CAREGUIDE_URGENT_NUMBER)
    if subject == "self":
        return text
    # Only plain words are swapped in already escaped text, so it stays safe to show.
    return mark_safe(text.replace("if you get worse", "if they get worse"))


def _complaint(finding_id: str) -> Finding | None:
    k = knowledge()
    if finding_id in k.finding_index and k.finding(finding_id).complaint:
        return k.finding(finding_id)
    return None


@never_cache
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    k = knowledge()
    preset = _complaint(request.GET.get("complaint", ""))
    examples = [f for f in k.findings if f.complaint][:8]
    if request.method == "GET":
        words = request.GET.get("q", "")[:200]
        form = StartForm(initial={"words": words, "complaint": preset.id if preset else "", **_who(words)})
        return render(request, "careguide/checker/start.html", {"form": form, "preset": preset, "examples": examples})

    form = StartForm(request.POST)
    matches: list[Finding] = []
    if form.is_valid():
        chosen = _complaint(form.cleaned_data["complaint"] or "")
        words = form.cleaned_data["words"]
        parsed = parse(k, words) if words else None
        if chosen is None and parsed is not None:
            # Words that name one complaint ("back pain", "my head has hurt since Monday") need no list to choose from.
            chosen = named_complaint(k, parsed)
        if chosen is not None:
            # Whatever else the person wrote ("...for weeks, no fever") is kept as answers already given.
            given = to_evidence(k, parsed, gate_with={chosen.id}) if parsed else {}
            given.pop(chosen.id, None)
            session = QuizSession.objects.create(
                owner=visitor_id(request),
                age=form.cleaned_data["age"],
                age_months=form.cleaned_data.get("age_months"),
                subject=form.cleaned_data["subject"],
                sex=form.cleaned_data["sex"],
                complaint=chosen.id,
                volunteered=[[f, a] for f, a in given.items()],
            )
            if parsed is not None:
                _say_not_understood(request, words, parsed)
            return HttpResponseRedirect(reverse("checker:question", args=[session.id]))
        if parsed is not None:
            found = named_complaints(k, parsed)
            found += [m.finding for m in search(k, words, complaints_only=True)]
            matches = list({f.id: f for f in found}.values())
        if not matches:
            form.add_error(
                "words",
                "We could not match that. Try other words, or choose one of the examples below."
                if words
                else "Tell us what is bothering you most.",
            )
    status = 200 if matches else 400
    return render(
        request,
        "careguide/checker/start.html",
        {"form": form, "matches": matches, "preset": None, "examples": examples},
        status=status,
    )


def _say_not_understood(request: HttpRequest, words: str, parsed: Parsed) -> None:
    """Tell the person, once, which of their words were not used, so they can say them another way. The words
    travel in the message cookie of their own browser, not in the database."""
    missed = not_understood(words, parsed)
    if missed:
        quoted = ", ".join(f"\u201c{m}\u201d" for m in missed)
        messages.info(request, f"We did not understand: {quoted}.", extra_tags="not-understood")


def _who(words: str) -> dict[str, object]:
    """Answers the start form can take from the words typed on the home page ("my daughter is 4..."):
    whom they are about, and the age and sex when the words say. The person can change them."""
    if not words:
        return {}
    who = about(words)
    initial: dict[str, object] = {"subject": who.who}
    if who.age_years is not None:
        initial["age"] = who.age_years
        if who.age_months is not None and who.age_years < 2:
            initial["age_months"] = who.age_months
    if who.sex is not None:
        initial["sex"] = who.sex
    return initial


def _session(request: HttpRequest, session_id: uuid.UUID) -> QuizSession:
    session = get_object_or_404(QuizSession, pk=session_id)
    if session.owner != visitor_id(request) or is_expired(session):
        # Another browser's quiz, or one past its retention time, is treated as not there at all.
        raise Http404("This quiz is not available")
    return session


def _step_or_restart(request: HttpRequest, session: QuizSession) -> Step | HttpResponse:
    try:
        return run(session)
    except InputError:
        # The knowledge changed since these answers were given (a new release); start again.
        return render(request, "careguide/checker/restart.html", status=409)


@never_cache
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    session = _session(request, session_id)
    result = _step_or_restart(request, session)
    if isinstance(result, HttpResponse):
        return result
    alert = result.alert
    if alert is not None and alert.level.value == "emergency" and alert.rule not in session.alerts_seen:
        if request.method == "POST" and request.POST.get("seen") == alert.rule:
            # The person has read the warning and chosen to go on answering, to learn more.
            session.alerts_seen = [*session.alerts_seen, alert.rule]
            session.save(update_fields=["alerts_seen", "updated"])
            return HttpResponseRedirect(reverse("checker:question", args=[session.id]))
        return render(request, "careguide/checker/alert.html", _alert_context(session, result))
    if result.should_stop or result.question is None:
        return HttpResponseRedirect(reverse("checker:results", args=[session.id]))
    finding = result.question.finding
    error = None
    if request.method == "POST":
        if request.POST.get("finding") != finding.id:
            # A stale form (double submit, or the back button of the browser): show the current question.
            return HttpResponseRedirect(reverse("checker:question", args=[session.id]))
        answer = parse_answer(finding, request.POST)
        if answer is not None:
            session.answers = [*session.answers, [finding.id, answer]]
            session.save()
            return HttpResponseRedirect(reverse("checker:question", args=[session.id]))
        error = "Please choose an answer, or choose \u201cI don't know\u201d."
    budget = config().budget
    return render(
        request,
        "careguide/checker/question.html",
        {
            "session": session,
            "q": result.question,
            "finding": finding,
            "question_text": result.question.text_for(session.subject),
            "reason": result.question.reason_for(session.subject),
            "understood": _understood(session),
            "current": [],
            "number": result.questions_asked + 1,
            "budget": budget,
            "error": error,
            "action": reverse("checker:question", args=[session.id]),
            **_alert_context(session, result),
        },
        status=400 if error else 200,
    )


def _alert_context(session: QuizSession, result: Step) -> dict[str, object]:
    """The warning a fired red-flag rule calls for: what to do, the number to call, why, and what to do while
    waiting. Shown at once for an emergency, and as a notice on every page after it."""
    alert = result.alert
    if alert is None:
        return {"alert": None}
    emergency = alert.level.value == "emergency"
    return {
        "alert": alert,
        "alert_emergency": emergency,
        "alert_number": settings.CAREGUIDE_EMERGENCY_NUMBER if emergency else settings.CAREGUIDE_URGENT_NUMBER,
        "alert_action": reverse("checker:question", args=[session.id]),
        "alert_results": reverse("checker:results", args=[session.id]),
    }


@never_cache
@require_POST
def back(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    session = _session(request, session_id)
    if not session.answers:
        return HttpResponseRedirect(f"{reverse('checker:start')}?complaint={session.complaint}")
    session.answers = session.answers[:-1]
    session.save()
    return HttpResponseRedirect(reverse("checker:question", args=[session.id]))


@never_cache
@require_http_methods(["GET", "POST"])
def change(request: HttpRequest, session_id: uuid.UUID, finding_id: str) -> HttpResponse:
    session = _session(request, session_id)
    k = knowledge()
    previous = {str(f): a for f, a in session.answers}
    if finding_id not in previous:
        raise Http404("That question was not answered")
    finding = k.finding(finding_id)
    error = None
    if request.method == "POST":
        answer = parse_answer(finding, request.POST)
        if answer is not None:
            replaced = [[f, answer if f == finding_id else a] for f, a in session.answers]
            session.answers = prune(replaced, session)
            session.save()
            return HttpResponseRedirect(reverse("checker:question", args=[session.id]))
        error = "Please choose an answer, or choose \u201cI don't know\u201d."
    current = previous[finding_id]
    return render(
        request,
        "careguide/checker/question.html",
        {
            "session": session,
            "q": None,
            "finding": finding,
            "question_text": question_text(finding, session.subject),
            "current": current if isinstance(current, list) else [current],
            "changing": True,
            "error": error,
            "action": reverse("checker:change", args=[session.id, finding_id]),
        },
        status=400 if error else 200,
    )


def _answer_rows(session: QuizSession) -> list[dict[str, object]]:
    k = knowledge()
    return [
        {"finding": f, "question": question_text(f, session.subject), "answer": answer_text(f, answer)}
        for f, answer in ((k.finding(str(fid)), answer) for fid, answer in session.answers)
    ]


def _understood(session: QuizSession) -> list[dict[str, object]]:
    """What the words typed at the start were read as, for the person to check: a misread word must be easy to
    see and take back (a missed red flag or a false one changes the advice)."""
    k = knowledge()
    asked = {str(f) for f, _ in session.answers}
    rows = []
    for fid, answer in session.volunteered:
        if str(fid) in asked or str(fid) not in k.finding_index:
            continue  # answered again as a question: that answer counts
        f = k.finding(str(fid))
        rows.append({"finding": f, "answer": answer_text(f, answer)})
    return rows


@never_cache
@require_POST
def add(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    """Add something in the person's own words before or between questions ("I also feel sick")."""
    session = _session(request, session_id)
    words = request.POST.get("words", "").strip()[:200]
    k = knowledge()
    parsed = parse(k, words) if words else None
    known = {session.complaint} | {str(f) for f, a in [*session.volunteered, *session.answers] if a != "absent"}
    given = to_evidence(k, parsed, gate_with=known) if parsed else {}
    asked = {str(f) for f, _ in session.answers}
    given = {f: a for f, a in given.items() if f not in asked and f != session.complaint}
    if not given:
        messages.error(
            request, "We could not match that to anything we can ask about. Try other words.", extra_tags="add"
        )
    else:
        kept = [[f, a] for f, a in session.volunteered if f not in given]
        session.volunteered = kept + [[f, a] for f, a in given.items()]
        session.save(update_fields=["volunteered", "updated"])
        if parsed is not None:
            _say_not_understood(request, words, parsed)
    return HttpResponseRedirect(reverse("checker:question", args=[session.id]))


@never_cache
@require_POST
def forget(request: HttpRequest, session_id: uuid.UUID, finding_id: str) -> HttpResponse:
    """Take back something read from the person's words ("that is not what I meant")."""
    session = _session(request, session_id)
    kept = [[f, a] for f, a in session.volunteered if f != finding_id]
    if len(kept) == len(session.volunteered):
        raise Http404("Nothing was read from your words for that")
    session.volunteered = kept
    session.save(update_fields=["volunteered", "updated"])
    return HttpResponseRedirect(reverse("checker:question", args=[session.id]))


def _reasons(name: str, explanation: Explanation) -> tuple[list[str], list[str]]:
    """The answers for and against a condition, as phrases about it ("tight chest is more typical of ...")."""
    about = name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name
    return [r.about(about) for r in explanation.raised], [r.about(about) for r in explanation.lowered]


def _results_context(request: HttpRequest, session: QuizSession, result: Step) -> dict[str, object]:
    k = knowledge()
    level = result.care.level.value
    shown = [rc for rc in result.conditions if rc.probability >= 0.01][:5]
    case = case_of(session)
    options = treatment_options(k, case, result, config=config())
    if level == CareLevel.EMERGENCY:
        # Beside "call 999 now", treatments of a milder possible cause (an antacid, an SSRI) would read as
        # reassurance: only those of the conditions that themselves need urgent or emergency care are shown.
        serious = {CareLevel.EMERGENCY, CareLevel.URGENT}
        options = [o for o in options if any(k.condition(c).care in serious for c in o.conditions)]
    # At self-care level what a person can start themselves comes first, as advice; the rest is for a doctor.
    self_level = level == CareLevel.SELF_CARE
    return {
        "session": session,
        "result": result,
        "level": level,
        "care_title": (CARE_TITLES if session.subject == "self" else CARE_TITLES_FOR_OTHERS)[level],
        "care_help": _care_help(level, session.subject),
        "results_title": RESULTS_TITLES.get(session.subject, RESULTS_TITLES["self"]),
        # The answers are the answerer's; "your answers" would read as if they were about the answerer.
        "answers_about": "your answers" if session.subject == "self" else "the answers",
        "red_flags": result.care.red_flags,
        "other_reasons": [r for r in result.care.reasons if r.rule is None],
        "conditions": shown,
        "condition_rows": [(rc, *_reasons(rc.condition.name, rc.explanation)) for rc in shown],
        "treatments": options,
        "plan": care_plan(level),
        "level_words": CARE_WORDS[result.care.level],
        "warning_signs": warning_signs(k, case, result.care.red_flags),
        "self_treatments": [o for o in options if self_level and o.treatment.kind in SELF_TREATMENT],
        "doctor_treatments": [o for o in options if not (self_level and o.treatment.kind in SELF_TREATMENT)],
        "answers": _answer_rows(session),
        "understood": _understood(session),
        "complaint": k.finding(session.complaint),
        "complete": result.should_stop,
        **_alert_context(session, result),
    }


def _unavailable(request: HttpRequest) -> HttpResponse:
    """A results address opened in a browser that did not take the quiz, or after the quiz was deleted: say
    why, and how to share results (a share link) or start again, rather than a bare "not found"."""
    context = {"hours": settings.CAREGUIDE_QUIZ_RETENTION_HOURS}
    return render(request, "careguide/checker/unavailable.html", context, status=404)


@never_cache
def results(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    try:
        session = _session(request, session_id)
    except Http404:
        return _unavailable(request)
    result = _step_or_restart(request, session)
    if isinstance(result, HttpResponse):
        return result
    if result.should_stop:
        record_outcome(session, result)
    return render(request, "careguide/checker/results.html", _results_context(request, session, result))


@never_cache
def summary(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    try:
        session = _session(request, session_id)
    except Http404:
        return _unavailable(request)
    result = _step_or_restart(request, session)
    if isinstance(result, HttpResponse):
        return result
    return render(request, "careguide/checker/summary.html", _results_context(request, session, result))
