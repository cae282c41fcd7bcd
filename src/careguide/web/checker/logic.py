"""Turning a stored quiz session into engine input, and form answers into engine answers."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.http import QueryDict
from django.utils import timezone

from careguide.engine import Answer, Case, InputError, Step, step, validate
from careguide.kb import AnswerType, Finding
from careguide.web.checker.models import QuizOutcome, QuizSession
from careguide.web.knowledge import config, knowledge

__all__ = ["case_of", "is_expired", "parse_answer", "prune", "record_outcome", "run"]


def case_of(session: QuizSession) -> Case:
    return Case(
        session.age,
        session.sex,
        tuple((f, a) for f, a in session.answers),
        session.complaint,
        session.age_months,
        tuple((f, a) for f, a in session.volunteered),
    )


def run(session: QuizSession) -> Step:
    """The next step; InputError if the stored answers no longer fit the knowledge (age, findings...)."""
    case = case_of(session)
    validate(knowledge(), case)
    return step(knowledge(), case, config())


def is_expired(session: QuizSession) -> bool:
    return session.updated < timezone.now() - timedelta(hours=settings.CAREGUIDE_QUIZ_RETENTION_HOURS)


def parse_answer(finding: Finding, data: QueryDict) -> Answer | None:
    """The answer posted for ``finding``, or None if the form does not hold a valid one."""
    options = {o.id for o in finding.options}
    if finding.type is AnswerType.YES_NO:
        value = data.get("answer")
        return value if value in ("present", "absent", "unknown") else None
    if finding.type is AnswerType.ONE_CHOICE:
        value = data.get("answer")
        return value if value == "unknown" or value in options else None
    if data.get("answer") == "unknown":
        return "unknown"
    chosen = data.getlist("option")
    if data.get("answer") == "none" and not chosen:
        return []
    if chosen and set(chosen) <= options:
        return sorted(set(chosen), key=[o.id for o in finding.options].index)
    return None


def prune(answers: list[list[object]], session: QuizSession) -> list[list[object]]:
    """Keep the answers that still fit after an answer changed: a child question's answer goes when its
    parent is no longer present (the engine's own rule, :func:`careguide.engine.validate`)."""
    k = knowledge()
    kept: list[list[object]] = []
    for pair in answers:
        evidence = tuple((str(f), a) for f, a in [*kept, pair])
        try:
            validate(k, Case(session.age, session.sex, evidence, session.complaint))  # type: ignore[arg-type]
        except InputError:
            continue
        kept.append(pair)
    return kept


def record_outcome(session: QuizSession, result: Step) -> None:
    """Count a finished quiz in the anonymous statistics, once per session."""
    if session.finished:
        return
    session.finished = True
    session.save(update_fields=["finished"])
    row, _ = QuizOutcome.objects.get_or_create(
        day=timezone.localdate(), complaint=session.complaint, care_level=result.care.level.value
    )
    QuizOutcome.objects.filter(pk=row.pk).update(count=F("count") + 1)
