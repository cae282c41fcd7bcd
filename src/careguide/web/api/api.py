"""The JSON API: stateless like the engine. Every call carries the whole case; nothing is stored.

Errors are JSON and documented in the OpenAPI: 422 with FastAPI-style details,
``{"detail": [{"loc": [...], "msg": ..., "type": ...}]}``, whose ``loc`` names the field at fault; 400
(unreadable body), 404, 413 (body too large) and 429 (throttled, with Retry-After) with ``{"detail": "..."}``.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import HttpError, ValidationError
from pydantic import ConfigDict

from careguide.engine import Case, InputError, Step, explain, posterior, step, validate
from careguide.kb import Condition, Knowledge
from careguide.report import Report, build_report, fhir_bundle, report_pdf
from careguide.text import MAX_TEXT_LENGTH
from careguide.text import parse as parse_text
from careguide.text import search as search_findings
from careguide.text.understood import named_complaints, not_understood
from careguide.web.api.throttle import AddressThrottle
from careguide.web.knowledge import config, knowledge

API_THROTTLE = AddressThrottle("all", "CAREGUIDE_API_RATE")
PARSE_THROTTLE = AddressThrottle("parse", "CAREGUIDE_API_PARSE_RATE")

api = NinjaAPI(
    title="CareGuide API",
    version="1",
    description=(
        "Stateless symptom-checker API: send age, sex and the answers so far; get the next question, the likely "
        "conditions with probabilities and reasons, and the care level. Not a diagnosis.\n\n"
        "Input is checked strictly (an age is a JSON integer, unknown keys are refused) and by the engine's own "
        "rules: an age the knowledge pack is written for, each finding answered once, each option chosen once, "
        "and a child finding answered only when its parent is present (a present child implies a yes/no "
        "parent). A refusal is a 422 whose `loc` names the field.\n\n"
        "Each client address may make a limited number of calls (by default 120 a minute, and 30 a minute to "
        "`/api/parse`); past that the answer is 429 with a `Retry-After` header in seconds. Request bodies are "
        "limited to 64 KB (413) and texts to parse to 2,000 characters (422)."
    ),
    docs_url="/docs",
    urls_namespace="api",
    throttle=[API_THROTTLE],
)


# ---- schemas -------------------------------------------------------------------------------------


class _Strict(Schema):
    # No coercion ("40" or true is not an age) and no unknown keys (a misspelt key is an error, not ignored).
    model_config = ConfigDict(extra="forbid", strict=True)


Id = Annotated[str, Field(min_length=1, max_length=64)]


class EvidenceIn(_Strict):
    finding: Id = Field(description="Finding id, e.g. back_pain")
    answer: Id | Annotated[list[Id], Field(max_length=50)] = Field(
        description="yes/no: present | absent | unknown; one choice: an option id or unknown; "
        "several choices: a list of option ids, each once (empty for none), absent or unknown"
    )


class CaseIn(_Strict):
    age: int = Field(ge=0, le=120, description="Age in whole years, at least the knowledge pack's `min_age`")
    age_months: int | None = Field(
        default=None,
        ge=0,
        le=23,
        description="For a child under 2: age in completed months (age must then be months // 12). Rules such "
        "as fever in a baby under 3 months use it; when it is missing such rules err on the safe side.",
    )
    sex: Literal["female", "male"]
    complaint: Id | None = Field(default=None, description="Main complaint finding id (not counted as a question)")
    evidence: list[EvidenceIn] = Field(default_factory=list, max_length=300)
    volunteered: list[EvidenceIn] = Field(
        default_factory=list,
        max_length=300,
        description="Answers the person gave in their own words before the questions (for example from "
        "/api/parse): they count as answers but not as questions asked",
    )


class StepIn(CaseIn):
    budget: int | None = Field(default=None, ge=1, le=200, description="Most questions to ask (default 20)")
    subject: Literal["self", "child", "other"] = Field(
        default="self",
        description="Whom the answers are about: the person answering (self), their child (child) or someone "
        "else they answer for (other). The question's `text` and `reason` are worded for them: for child and "
        'other the finding\'s wording for someone else ("Do they have...?"), or, where a finding has none, '
        'its own question after "About your child: " or "About the person you are answering for: "',
    )


class ExplainIn(CaseIn):
    condition: Id = Field(description="Condition id to explain")


class OptionOut(Schema):
    id: str
    label: str


class QuestionOut(Schema):
    finding: str
    text: str
    type: str
    options: list[OptionOut]
    reason: str
    safety: bool
    tells_apart: list[str]


class ReasonOut(Schema):
    finding: str
    name: str
    answer: str
    factor: float
    text: str


class ExplanationOut(Schema):
    prior: float
    raised: list[ReasonOut]
    lowered: list[ReasonOut]
    text: str


class ConditionProbabilityOut(Schema):
    id: str
    name: str
    clinical_name: str
    icd10: str
    care: str
    probability: float
    explanation: ExplanationOut


class CareReasonOut(Schema):
    level: str
    text: str
    rule: str | None
    conditions: list[str]


class CareOut(Schema):
    level: str
    reasons: list[CareReasonOut]


class AlertOut(Schema):
    level: str = Field(description="emergency or urgent")
    text: str = Field(description="Why, in plain words")
    advice: str | None = Field(description="What to do now and while waiting, when the rule says")
    rule: str
    call: str = Field(description="The number to call (the deployment's emergency or urgent number)")


class StepOut(Schema):
    question: QuestionOut | None
    should_stop: bool
    stop_reason: str | None
    questions_asked: int
    care: CareOut
    alert: AlertOut | None = Field(
        description="A red-flag rule that calls for emergency or urgent care fired: show it to the person at once, "
        "before any further question (they may go on answering only to learn more)"
    )
    conditions: list[ConditionProbabilityOut]


class FindingOut(Schema):
    id: str
    name: str
    question: str
    type: str
    category: str
    parent: str | None
    complaint: bool
    options: list[OptionOut]
    synonyms: list[str]


class SearchHit(Schema):
    id: str
    name: str
    question: str
    complaint: bool
    score: float


class ConditionSummaryOut(Schema):
    id: str
    name: str
    clinical_name: str
    icd10: str
    care: str
    must_not_miss: bool
    url: str


class LinkOut(Schema):
    finding: str
    p: float | None
    options: dict[str, float] | None
    source: str | None
    expert_estimate: bool
    red_flag: bool


class TreatmentOut(Schema):
    id: str
    name: str
    kind: str
    description: str
    findings: list[str]
    evidence: str
    source: str


class SourceOut(Schema):
    id: str
    citation: str
    doi: str | None
    pmid: str | None
    url: str | None


class ConditionDetailOut(ConditionSummaryOut):
    summary: str | None
    prior: float
    findings: list[LinkOut]
    treatments: list[TreatmentOut]
    sources: list[SourceOut]
    guide_updated: str | None
    review_status: str | None


class ParseIn(_Strict):
    text: str = Field(min_length=1, max_length=MAX_TEXT_LENGTH, description="A person's own words")


class MentionOut(Schema):
    ref: str
    phrase: str
    start: int
    end: int
    negated: bool


class ParseOut(Schema):
    present: list[str]
    absent: list[str]
    complaint: str | None
    one_complaint: bool = Field(description="True when the words name exactly one main complaint (start with it)")
    not_understood: list[str] = Field(description="Parts of the text nothing was read from, to show the person")
    mentions: list[MentionOut]


class ExplainOut(Schema):
    condition: str
    probability: float
    explanation: ExplanationOut


class FhirBundleOut(Schema):
    model_config = ConfigDict(extra="allow")
    resourceType: Literal["Bundle"]  # FHIR's own field name
    type: Literal["collection"]
    timestamp: str
    entry: list[dict[str, Any]] = Field(
        description="Patient (sex only), Observation (age), QuestionnaireResponse (answers) and RiskAssessment "
        "(care level and the differential, each outcome coded in ICD-10-CM)"
    )


class ErrorDetailOut(Schema):
    loc: list[str | int] = Field(description='Where the error is, e.g. ["body", "evidence", 2, "answer"]')
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: list[ErrorDetailOut]


class MessageOut(Schema):
    detail: str


_ERRORS: dict[int, type[Schema]] = {
    400: MessageOut,  # the body is not JSON
    413: MessageOut,  # the body is too large
    422: ValidationErrorOut,
    429: MessageOut,  # throttled; Retry-After says when to try again
}


def _responses(ok: object, *codes: int) -> dict[int, object]:
    return {200: ok} | {code: _ERRORS[code] for code in codes}


# ---- helpers --------------------------------------------------------------------------------------


@api.exception_handler(InputError)
def _input_error(request: HttpRequest, exc: InputError) -> HttpResponse:
    loc: list[str | int] = ["body"]
    for part in re.findall(r"[a-z_]+|\[\d+\]", exc.field):
        loc.append(int(part[1:-1]) if part.startswith("[") else part)
    return api.create_response(
        request, {"detail": [{"loc": loc, "msg": exc.message, "type": "value_error"}]}, status=422
    )


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(request, {"detail": "The request body is too large."}, status=413)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # ninja prefixes the parameter name ("body") after the location; drop it so that ``loc`` reads
    # ["body", "age"] like the engine's own errors.
    details = []
    for err in exc.errors:
        loc = list(err.get("loc", []))
        if len(loc) >= 2 and loc[0] == "body" and loc[1] == "body":
            del loc[1]
        details.append({"loc": loc, "msg": err.get("msg", ""), "type": err.get("type", "value_error")})
    return api.create_response(request, {"detail": details}, status=422)


def _case(body: CaseIn) -> Case:
    return Case(
        body.age,
        body.sex,
        tuple((e.finding, e.answer) for e in body.evidence),
        body.complaint,
        body.age_months,
        tuple((e.finding, e.answer) for e in body.volunteered),
    )


def _explanation(e: object) -> dict[str, object]:
    from careguide.engine import Explanation

    assert isinstance(e, Explanation)
    return {
        "prior": e.prior,
        "raised": [r.__dict__ | {"text": r.text} for r in e.raised],
        "lowered": [r.__dict__ | {"text": r.text} for r in e.lowered],
        "text": e.text,
    }


def _step_out(s: Step, subject: str = "self") -> dict[str, object]:
    q = s.question
    return {
        "question": None
        if q is None
        else {
            "finding": q.id,
            "text": q.text_for(subject),
            "type": q.finding.type.value,
            "options": [{"id": o.id, "label": o.label} for o in q.options],
            "reason": q.reason_for(subject),
            "safety": q.safety,
            "tells_apart": list(q.tells_apart),
        },
        "should_stop": s.should_stop,
        "stop_reason": s.stop_reason,
        "questions_asked": s.questions_asked,
        "alert": None
        if s.alert is None
        else {
            "level": s.alert.level.value,
            "text": s.alert.text,
            "advice": s.alert.advice,
            "rule": s.alert.rule,
            "call": settings.CAREGUIDE_EMERGENCY_NUMBER
            if s.alert.level.value == "emergency"
            else settings.CAREGUIDE_URGENT_NUMBER,
        },
        "care": {
            "level": s.care.level.value,
            "reasons": [
                {"level": r.level.value, "text": r.text, "rule": r.rule, "conditions": list(r.conditions)}
                for r in s.care.reasons
            ],
        },
        "conditions": [
            {
                "id": rc.condition.id,
                "name": rc.condition.name,
                "clinical_name": rc.condition.clinical_name,
                "icd10": rc.condition.icd10,
                "care": rc.condition.care.value,
                "probability": rc.probability,
                "explanation": _explanation(rc.explanation),
            }
            for rc in s.conditions
        ],
    }


def _condition_summary(c: Condition) -> dict[str, object]:
    return {
        "id": c.id,
        "name": c.name,
        "clinical_name": c.clinical_name,
        "icd10": c.icd10,
        "care": c.care.value,
        "must_not_miss": c.must_not_miss,
        "url": f"/conditions/{c.id}/",
    }


def _finding_out(k: Knowledge, fid: str) -> dict[str, object]:
    f = k.finding(fid)
    return {
        "id": f.id,
        "name": f.name,
        "question": f.question,
        "type": f.type.value,
        "category": f.category.value,
        "parent": f.parent,
        "complaint": f.complaint,
        "options": [{"id": o.id, "label": o.label} for o in f.options],
        "synonyms": list(f.synonyms),
    }


# ---- endpoints ------------------------------------------------------------------------------------


@api.post(
    "/step",
    response=_responses(StepOut, 400, 413, 422, 429),
    summary="Next step of the interview",
    tags=["quiz"],
    operation_id="step",
)
def step_endpoint(request: HttpRequest, body: StepIn) -> dict[str, object]:
    """Posterior, care level and next question for the answers given. Send every answer each time."""
    overrides = {"budget": body.budget} if body.budget else {}
    cfg = config() if not overrides else type(config()).for_knowledge(knowledge(), **overrides)
    case = _case(body)
    validate(knowledge(), case)
    return _step_out(step(knowledge(), case, cfg), body.subject)


@api.post(
    "/explain",
    response=_responses(ExplainOut, 400, 413, 422, 429),
    summary="Why a condition is (un)likely",
    tags=["quiz"],
    operation_id="explain",
)
def explain_endpoint(request: HttpRequest, body: ExplainIn) -> dict[str, object]:
    k = knowledge()
    if body.condition not in k.condition_index:
        raise InputError("condition", f"unknown condition {body.condition!r}")
    obs = validate(k, _case(body))
    ci = k.condition_index[body.condition]
    p = posterior(k, obs, config().likelihood_exponent)
    return {
        "condition": body.condition,
        "probability": float(p[ci]),
        "explanation": _explanation(explain(k, obs, [ci])[0]),
    }


@api.get(
    "/search",
    response=_responses(list[SearchHit], 422, 429),
    summary="Find findings by a person's words",
    tags=["knowledge"],
    operation_id="search",
)
def search_endpoint(
    request: HttpRequest,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Words, e.g. 'sore back'")],
    complaints_only: bool = False,
    limit: Annotated[int, Query(ge=1, le=50)] = 8,
) -> list[dict[str, object]]:
    hits = search_findings(knowledge(), q, limit=limit, complaints_only=complaints_only)
    return [
        {
            "id": m.finding.id,
            "name": m.finding.name,
            "question": m.finding.question,
            "complaint": m.finding.complaint,
            "score": m.score,
        }
        for m in hits
    ]


@api.post(
    "/parse",
    response=_responses(ParseOut, 400, 413, 422, 429),
    summary="Findings present and absent in a person's words",
    tags=["knowledge"],
    operation_id="parse",
    throttle=[API_THROTTLE, PARSE_THROTTLE],
)
def parse_endpoint(request: HttpRequest, body: ParseIn) -> dict[str, object]:
    """Negation-aware parsing, e.g. "sore lower back for weeks, no fever" -> back_pain present, fever absent.
    Refs are finding ids or "finding:option"; ``complaint`` is the first main complaint mentioned."""
    k = knowledge()
    parsed = parse_text(k, body.text)
    named = named_complaints(k, parsed)
    return {
        "present": list(parsed.present),
        "absent": list(parsed.absent),
        "complaint": named[0].id if named else None,
        "one_complaint": len(named) == 1,
        "not_understood": not_understood(body.text, parsed),
        "mentions": [m.__dict__ for m in parsed.mentions],
    }


@api.get(
    "/findings",
    response=_responses(list[FindingOut], 429),
    summary="All findings",
    tags=["knowledge"],
    operation_id="list_findings",
)
def findings_endpoint(request: HttpRequest) -> list[dict[str, object]]:
    k = knowledge()
    return [_finding_out(k, f.id) for f in k.findings]


@api.get(
    "/conditions",
    response=_responses(list[ConditionSummaryOut], 429),
    summary="All conditions",
    tags=["knowledge"],
    operation_id="list_conditions",
)
def conditions_endpoint(request: HttpRequest) -> list[dict[str, object]]:
    return [_condition_summary(c) for c in sorted(knowledge().conditions, key=lambda c: c.name.lower())]


@api.get(
    "/conditions/{condition_id}",
    response=_responses(ConditionDetailOut, 429) | {404: MessageOut},
    summary="One condition",
    tags=["knowledge"],
    operation_id="get_condition",
)
def condition_endpoint(request: HttpRequest, condition_id: str) -> dict[str, object]:
    k = knowledge()
    if condition_id not in k.condition_index:
        raise HttpError(404, f"unknown condition {condition_id!r}")
    c = k.condition(condition_id)
    article = k.articles.get(c.id)
    treatments = [t for t in k.treatments if c.id in t.conditions]
    source_ids = {c.prior.source, *(link.source for link in c.findings.values()), *(t.source for t in treatments)}
    return _condition_summary(c) | {
        "summary": c.summary,
        "prior": c.prior.value,
        "findings": [
            {
                "finding": fid,
                "p": link.p,
                "options": link.options,
                "source": link.source,
                "expert_estimate": link.expert_estimate,
                "red_flag": link.red_flag,
            }
            for fid, link in c.findings.items()
        ],
        "treatments": [
            {
                "id": t.id,
                "name": t.name,
                "kind": t.kind.value,
                "description": t.description,
                "findings": list(t.findings),
                "evidence": t.evidence,
                "source": t.source,
            }
            for t in treatments
        ],
        "sources": [k.sources[s].model_dump() for s in sorted(s for s in source_ids if s)],
        "guide_updated": article.meta.updated.isoformat() if article else None,
        "review_status": article.meta.review_status if article else None,
    }


# ---- reports --------------------------------------------------------------------------------------


def _report_step(body: StepIn) -> tuple[Case, Step]:
    overrides = {"budget": body.budget} if body.budget else {}
    cfg = config() if not overrides else type(config()).for_knowledge(knowledge(), **overrides)
    case = _case(body)
    validate(knowledge(), case)
    return case, step(knowledge(), case, cfg)


def _report(body: StepIn) -> Report:
    case, result = _report_step(body)
    return build_report(
        knowledge(),
        case,
        result,
        timezone.localtime(),
        settings.CAREGUIDE_EMERGENCY_NUMBER,
        settings.CAREGUIDE_URGENT_NUMBER,
    )


@api.post(
    "/report.pdf",
    response={code: schema for code, schema in _ERRORS.items()},
    summary="The summary for a doctor, as a PDF",
    tags=["report"],
    operation_id="report_pdf",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The PDF: age and sex, the answers (those given in the person's own words marked), "
                "the care level and why, the conditions with their chances, the date, the knowledge pack, "
                "and that it is not a diagnosis",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def report_pdf_endpoint(request: HttpRequest, body: StepIn) -> HttpResponse:
    """The same case as /api/step (every answer so far); the report describes the step those answers reach."""
    response = HttpResponse(report_pdf(_report(body)), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="careguide-summary.pdf"'
    return response


@api.post(
    "/report.fhir.json",
    response=_responses(FhirBundleOut, 400, 413, 422, 429),
    summary="The summary for health records, as a FHIR R4 Bundle",
    tags=["report"],
    operation_id="report_fhir",
)
def report_fhir_endpoint(request: HttpRequest, body: StepIn) -> dict[str, Any]:
    """A FHIR R4 `collection` Bundle: a Patient with only the sex, an Observation of the age (LOINC 30525-0),
    a QuestionnaireResponse with the answers and a RiskAssessment whose predictions are the conditions with
    their probabilities, coded in ICD-10-CM (`http://hl7.org/fhir/sid/icd-10-cm`). No name or identifier."""
    return fhir_bundle(_report(body))
