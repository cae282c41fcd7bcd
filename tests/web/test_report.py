"""The report for a doctor: the PDF and FHIR R4 Bundle, their downloads on the site and through the API, and
share links that open results read-only in another browser until the quiz is deleted."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from pypdf import PdfReader

from careguide.engine import Case, Config, Step, step
from careguide.evaluation import vignettes
from careguide.kb import Knowledge
from careguide.report import build_report, fhir_bundle, report_pdf
from careguide.report.fhir import ICD10CM
from careguide.web.checker.models import QuizSession
from careguide.web.knowledge import config, knowledge

# fhir.resources' top-level package is FHIR R5; R4B (4.3) is the subpackage whose Patient, Observation,
# QuestionnaireResponse, RiskAssessment and Bundle match R4 (4.0.1) element for element.
ROOT = Path(__file__).resolve().parents[2]
VIGNETTES = ROOT / "benchmarks" / "vignettes" / "general-v2-dev.jsonl"
BACK_PAIN_VIGNETTES = ROOT / "knowledge" / "vignettes" / "back_pain.jsonl"
NOW = datetime(2026, 3, 4, 10, 30, tzinfo=UTC)
CASE = Case(
    63,
    "female",
    (("history_of_cancer", "present"),),
    "back_pain",
    volunteered=(("fever", "absent"),),
)


def _text(pdf: bytes) -> str:
    # Table cells wrap, so compare with every run of whitespace as one space.
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def _validated(bundle: dict[str, Any]) -> Bundle:
    return Bundle.model_validate(bundle)


def _resources(bundle: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["resource"]["resourceType"]: e["resource"] for e in bundle["entry"]}


@pytest.fixture
def k() -> Knowledge:
    return knowledge()


def test_the_pdf_holds_the_person_answers_care_level_differential_and_warning(k: Knowledge) -> None:
    result = step(k, CASE, config())
    text = _text(report_pdf(build_report(k, CASE, result, NOW, "999", "111")))
    assert "Age 63 years, female" in text and "Main symptom: Back pain" in text
    assert k.finding("history_of_cancer").question in text
    assert "Have you had a fever, or felt hot and shivery? No In their own words" in text
    assert "Asked" in text
    assert "Get medical help today" in text  # the care level the red flag for cancer calls for
    assert result.care.red_flags and result.care.red_flags[0].text.split(".")[0] in text
    top = result.conditions[0]
    assert f"{top.condition.clinical_name} {top.condition.icd10}" in text
    assert f"{top.probability:.0%}" in text
    assert "04 March 2026, 10:30" in text
    assert f"{k.pack.name}, version {k.pack.version}" in text
    assert "Not a diagnosis" in text and "In an emergency call 999" in text and "call 111" in text


def test_a_volunteered_answer_replaced_by_an_asked_one_is_listed_once_as_asked(k: Knowledge) -> None:
    case = Case(40, "male", (("fever", "present"),), "back_pain", volunteered=(("fever", "absent"),))
    report = build_report(k, case, step(k, case, config()), NOW, "999", "111")
    assert [(r.finding.id, r.text, r.volunteered) for r in report.answers] == [("fever", "Yes", False)]


def test_the_bundle_is_valid_fhir_and_codes_the_differential_in_icd10cm(k: Knowledge) -> None:
    result = step(k, CASE, config())
    bundle = fhir_bundle(build_report(k, CASE, result, NOW, "999", "111"))
    validated = _validated(bundle)
    assert validated.type == "collection" and len(validated.entry or []) == 4
    res = _resources(bundle)
    assert res["Patient"] == {"resourceType": "Patient", "gender": "female"}  # no name, birth date or id
    assert res["Observation"]["valueQuantity"] == {
        "value": 63,
        "unit": "years",
        "system": "http://unitsofmeasure.org",
        "code": "a",
    }
    risk = res["RiskAssessment"]
    shown = [rc for rc in result.conditions if rc.probability >= 0.01][:10]
    assert [p["outcome"]["coding"][0] for p in risk["prediction"]] == [
        {"system": ICD10CM, "code": rc.condition.icd10, "display": rc.condition.clinical_name} for rc in shown
    ]
    assert [p["probabilityDecimal"] for p in risk["prediction"]] == [round(rc.probability, 4) for rc in shown]
    assert risk["status"] == "preliminary"  # one answer: the interview is not over
    assert risk["mitigation"].startswith("Get medical help today")
    answers = res["QuestionnaireResponse"]
    groups = {g["linkId"]: g for g in answers["item"]}
    assert groups["complaint"]["answer"][0]["valueCoding"]["code"] == "back_pain"
    assert groups["volunteered"]["item"] == [
        {"linkId": "fever", "text": k.finding("fever").question, "answer": [{"valueBoolean": False}]}
    ]
    assert groups["asked"]["item"][0]["answer"] == [{"valueBoolean": True}]
    # References point at entries of the same Bundle.
    urls = {e["fullUrl"] for e in bundle["entry"]}
    assert {risk["subject"]["reference"], risk["basis"][0]["reference"], answers["subject"]["reference"]} <= urls


def test_a_baby_s_age_is_in_months_and_choices_are_coded(k: Knowledge) -> None:
    several, one = k.finding("pain_location"), k.finding("symptom_onset")
    case = Case(0, "male", ((several.id, ["lower_back"]), (one.id, "unknown")), "back_pain", age_months=2)
    report = build_report(k, case, step(k, case, config()), NOW, "999", "111")
    bundle = fhir_bundle(report)
    _validated(bundle)
    res = _resources(bundle)
    assert res["Observation"]["valueQuantity"]["value"] == 2 and res["Observation"]["valueQuantity"]["code"] == "mo"
    asked = {
        i["linkId"]: i["answer"]
        for g in res["QuestionnaireResponse"]["item"]
        if g["linkId"] == "asked"
        for i in g["item"]
    }
    assert asked[several.id] == [
        {
            "valueCoding": {
                "system": f"urn:careguide:finding:{several.id}",
                "code": several.options[0].id,
                "display": several.options[0].label,
            }
        }
    ]
    assert asked[one.id][0]["valueCoding"]["code"] == "asked-unknown"
    assert "Age 2 months, male" in _text(report_pdf(report))


@pytest.mark.parametrize(
    ("pack", "path", "at_least", "budget"),
    [("k", VIGNETTES, 100, 5), ("shipped", BACK_PAIN_VIGNETTES, 40, None)],
    ids=["general-v2-dev", "back_pain"],
)
def test_every_dev_vignette_s_interview_gives_a_valid_bundle(
    pack: str,
    path: Path,
    at_least: int,
    budget: int | None,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Interviews run by `careguide eval vignettes`' own code (its parsing of the words, its "don't know" to a
    question the words do not answer), with the budget cut to 5 questions so that all 185 general vignettes fit
    in well under a minute (the full 20 take about as long as a minute on their own); the back-pain vignettes
    run on the back-pain pack with its full budget. The engine's last step and the case it was given are
    recorded (the real step runs) and turned into a Bundle that must validate."""
    k: Knowledge = request.getfixturevalue(pack)
    last: list[tuple[Case, Step]] = []

    def recording_step(knowledge: Knowledge, case: Case, cfg: Any = None) -> Step:
        result = step(knowledge, case, cfg)
        last[:] = [(case, result)]
        return result

    monkeypatch.setattr(vignettes, "step", recording_step)
    cfg = Config.for_knowledge(k, budget=budget) if budget else Config.for_knowledge(k)
    cases = vignettes.load_vignettes(path)
    assert len(cases) >= at_least
    asked = 0
    for v in cases:
        result = vignettes.run_vignette(k, v, cfg)
        case, final = last[0]
        assert final is result.step
        bundle = fhir_bundle(build_report(k, case, final, NOW, "999", "111"))
        validated = _validated(bundle)
        res = _resources(bundle)
        assert validated.entry and res["Patient"]["gender"] == v.sex, v.id
        codes = [p["outcome"]["coding"][0]["code"] for p in res["RiskAssessment"]["prediction"]]
        assert codes and codes[0] == final.conditions[0].condition.icd10, v.id
        asked += len(case.evidence)
    assert asked > len(cases)  # the interviews did ask questions, answered in the QuestionnaireResponses


# ---- the site ----------------------------------------------------------------------------------------


@pytest.fixture
def quiz(visitor: Client, db: None) -> Iterator[str]:
    """A quiz on the site with a red flag answered and a word answer; yields its address."""
    response = visitor.post(
        "/check/", {"age": "63", "sex": "female", "complaint": "back_pain", "words": "back pain, no fever"}
    )
    assert response.status_code == 302
    QuizSession.objects.update(answers=[["history_of_cancer", "present"]])
    yield str(response["Location"])


pytestmark = pytest.mark.django_db


def test_results_link_to_the_pdf_and_fhir_downloads(visitor: Client, quiz: str) -> None:
    html = visitor.get(quiz + "results/").content.decode()
    assert f'href="{quiz}report.pdf"' in html and f'href="{quiz}report.fhir.json"' in html
    assert f'action="{quiz}share/"' in html
    pdf = visitor.get(quiz + "report.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "attachment" in pdf["Content-Disposition"]
    text = _text(pdf.content)
    assert "Get medical help today" in text and "In their own words" in text
    fhir = visitor.get(quiz + "report.fhir.json")
    assert fhir["Content-Type"] == "application/fhir+json"
    _validated(fhir.json())


def test_another_browser_cannot_download_the_report(visitor: Client, quiz: str) -> None:
    stranger = Client()
    assert stranger.get(quiz + "report.pdf").status_code == 404
    assert stranger.get(quiz + "report.fhir.json").status_code == 404
    assert stranger.post(quiz + "share/").status_code == 404


def test_results_opened_in_another_browser_explain_why_and_how_to_share(visitor: Client, quiz: str) -> None:
    response = Client().get(quiz + "results/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "These results are not available here" in html and "Make a link to share these results" in html
    assert 'href="/check/"' in html and "not a diagnosis" in html  # the site's own page, not a bare "Not Found"


def _share(client: Client, quiz: str) -> str:
    response = client.post(quiz + "share/")
    assert response.status_code == 200
    m = re.search(r'value="(http://testserver/check/shared/([\w-]+)/)"', response.content.decode())
    assert m, response.content.decode()[:2000]
    return m.group(1).removeprefix("http://testserver")


def test_a_share_link_opens_the_results_read_only_in_another_browser(visitor: Client, quiz: str) -> None:
    link = _share(visitor, quiz)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 40
    session = QuizSession.objects.get()
    assert session.share_hash == hashlib.sha256(token.encode()).hexdigest()  # the token itself is not stored
    doctor = Client()
    response = doctor.get(link)
    assert response.status_code == 200 and response["Referrer-Policy"] == "no-referrer"
    html = response.content.decode()
    assert "Shared symptom checker results" in html and "Get medical help today" in html
    assert "Have you ever been diagnosed with cancer" in html and "(in their own words)" in html
    assert "/change/" not in html and "csrfmiddlewaretoken" not in html  # read-only
    assert doctor.get(link + "report.pdf")["Content-Type"] == "application/pdf"
    _validated(doctor.get(link + "report.fhir.json").json())
    session.refresh_from_db()
    assert session.answers == [["history_of_cancer", "present"]]


def test_a_share_link_expires_with_the_quiz(visitor: Client, quiz: str) -> None:
    link = _share(visitor, quiz)
    QuizSession.objects.update(updated=timezone.now() - timedelta(hours=25))
    for url in (link, link + "report.pdf", link + "report.fhir.json"):
        response = Client().get(url)
        assert response.status_code == 410
    html = Client().get(link).content.decode()
    assert "This link has expired" in html and "24 hours" in html and 'href="/check/"' in html
    assert "In an emergency call 999" in html


def test_a_new_share_link_replaces_the_old_one_and_unknown_tokens_are_gone(visitor: Client, quiz: str) -> None:
    first = _share(visitor, quiz)
    second = _share(visitor, quiz)
    assert first != second
    assert Client().get(first).status_code == 410
    assert Client().get(second).status_code == 200
    assert Client().get("/check/shared/not-a-token/").status_code == 410


def test_making_a_share_link_does_not_extend_how_long_answers_are_kept(visitor: Client, quiz: str) -> None:
    before = QuizSession.objects.get().updated
    _share(visitor, quiz)
    assert QuizSession.objects.get().updated == before


# ---- the API -----------------------------------------------------------------------------------------

BODY = {
    "age": 63,
    "sex": "female",
    "complaint": "back_pain",
    "evidence": [{"finding": "history_of_cancer", "answer": "present"}],
    "volunteered": [{"finding": "fever", "answer": "absent"}],
}


def test_the_api_gives_the_pdf_for_a_case(visitor: Client) -> None:
    response = visitor.post("/api/report.pdf", BODY, content_type="application/json")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "Get medical help today" in text and "In their own words" in text


def test_the_api_gives_a_valid_fhir_bundle_for_a_case(visitor: Client) -> None:
    response = visitor.post("/api/report.fhir.json", BODY, content_type="application/json")
    assert response.status_code == 200
    bundle = response.json()
    _validated(bundle)
    assert _resources(bundle)["RiskAssessment"]["prediction"][0]["outcome"]["coding"][0]["system"] == ICD10CM


@pytest.mark.parametrize("path", ["/api/report.pdf", "/api/report.fhir.json"])
def test_the_api_report_refuses_a_bad_case_naming_the_field(visitor: Client, path: str) -> None:
    response = visitor.post(path, BODY | {"age": "63"}, content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "age"]
    wrong = BODY | {"evidence": [{"finding": "history_of_cancer", "answer": "maybe"}]}
    response = visitor.post(path, wrong, content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][:3] == ["body", "evidence", 0]


def test_the_openapi_documents_the_report_endpoints(visitor: Client) -> None:
    schema = visitor.get("/api/openapi.json").json()
    pdf = schema["paths"]["/api/report.pdf"]["post"]
    assert pdf["operationId"] == "report_pdf"
    assert pdf["responses"]["200"]["content"]["application/pdf"]["schema"] == {"type": "string", "format": "binary"}
    assert pdf["responses"]["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ValidationErrorOut"
    }
    fhir = schema["paths"]["/api/report.fhir.json"]["post"]
    assert fhir["operationId"] == "report_fhir"
    assert fhir["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/FhirBundleOut"
    }
