"""The JSON API: stateless steps, explanations, search, listings; bad input is a 4xx naming the field."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _post(client: Client, path: str, body: Any) -> tuple[int, Any]:
    raw = body if isinstance(body, str) else json.dumps(body)
    response = client.post(f"/api/{path}", raw, content_type="application/json")
    return response.status_code, response.json()


def test_step_returns_question_conditions_and_care(visitor: Client) -> None:
    code, data = _post(
        visitor,
        "step",
        {
            "age": 63,
            "sex": "female",
            "complaint": "back_pain",
            "evidence": [{"finding": "history_of_cancer", "answer": "present"}],
        },
    )
    assert code == 200
    assert data["should_stop"] is False and data["questions_asked"] == 1
    q = data["question"]
    assert q["safety"] is True and q["reason"].startswith(("A warning sign", "Asked early to rule out"))
    assert {"finding", "text", "type", "options", "tells_apart"} <= set(q)
    probs = [c["probability"] for c in data["conditions"]]
    assert abs(sum(probs) - 1) < 0.05 and probs == sorted(probs, reverse=True)
    assert data["care"]["level"] in {"emergency", "urgent", "routine", "self_care"}
    assert any(r["rule"] == "cancer_history_back_pain" for r in data["care"]["reasons"])
    top = data["conditions"][0]
    assert {"id", "icd10", "explanation"} <= set(top) and "prior" in top["explanation"]


def test_step_is_stateless_and_deterministic(visitor: Client) -> None:
    body = {"age": 40, "sex": "male", "complaint": "back_pain", "evidence": [{"finding": "fever", "answer": "absent"}]}
    assert _post(visitor, "step", body) == _post(Client(), "step", body)


def test_step_honours_the_budget(visitor: Client) -> None:
    code, data = _post(
        visitor,
        "step",
        {
            "age": 40,
            "sex": "male",
            "complaint": "back_pain",
            "budget": 1,
            "evidence": [{"finding": "fever", "answer": "absent"}],
        },
    )
    assert code == 200 and data["should_stop"] and data["stop_reason"] == "budget" and data["question"] is None


@pytest.mark.parametrize(
    ("body", "loc", "msg"),
    [
        ({"age": "old", "sex": "male"}, ["body", "age"], "valid integer"),
        ({"age": 130, "sex": "male"}, ["body", "age"], "less than or equal to 120"),
        ({"age": 40}, ["body", "sex"], "Field required"),
        ({"age": 40, "sex": "other"}, ["body", "sex"], "'female' or 'male'"),
        (
            {"age": 40, "sex": "male", "evidence": [{"finding": "nope", "answer": "present"}]},
            ["body", "evidence", 0, "finding"],
            "unknown finding 'nope'",
        ),
        (
            {"age": 40, "sex": "male", "evidence": [{"finding": "fever", "answer": "yes"}]},
            ["body", "evidence", 0, "answer"],
            "yes/no question",
        ),
        (
            {
                "age": 40,
                "sex": "male",
                "evidence": [{"finding": "onset", "answer": "sudden"}, {"finding": "onset", "answer": "gradual"}],
            },
            ["body", "evidence", 1],
            "answered more than once",
        ),
        (
            {"age": 40, "sex": "male", "evidence": [{"finding": "pain_location", "answer": ["knee"]}]},
            ["body", "evidence", 0, "answer", 0],
            "has no option 'knee'",
        ),
        ({"age": 40, "sex": "male", "complaint": "onset"}, ["body", "complaint"], "not a yes/no finding"),
        (
            {"age": 40, "sex": "male", "evidence": [{"finding": "fever"}]},
            ["body", "evidence", 0, "answer"],
            "Field required",
        ),
        ({"age": 40, "sex": "male", "budget": 0}, ["body", "budget"], "greater than or equal to 1"),
    ],
)
def test_bad_input_is_422_naming_the_field(visitor: Client, body: Any, loc: list[Any], msg: str) -> None:
    code, data = _post(visitor, "step", body)
    assert code == 422
    assert any(d["loc"] == loc and msg in d["msg"] for d in data["detail"]), data


def test_malformed_json_is_a_400_not_a_500(visitor: Client) -> None:
    response = visitor.post("/api/step", "{not json", content_type="application/json")
    assert response.status_code == 400
    response = visitor.post("/api/step", "[1, 2]", content_type="application/json")
    assert 400 <= response.status_code < 500


def test_explain_gives_the_reasons_for_one_condition(visitor: Client) -> None:
    code, data = _post(
        visitor,
        "explain",
        {
            "age": 70,
            "sex": "male",
            "complaint": "back_pain",
            "condition": "spine_metastases",
            "evidence": [{"finding": "weight_loss", "answer": "present"}],
        },
    )
    assert code == 200 and data["condition"] == "spine_metastases"
    assert [r["finding"] for r in data["explanation"]["raised"]][:1] == ["weight_loss"]
    code, data = _post(visitor, "explain", {"age": 70, "sex": "male", "condition": "nothing"})
    assert code == 422 and data["detail"][0]["loc"] == ["body", "condition"]


def test_search_finds_findings_by_words(visitor: Client) -> None:
    data = visitor.get("/api/search", {"q": "sore back", "complaints_only": "true"}).json()
    assert data[0]["id"] == "back_pain"
    assert visitor.get("/api/search").status_code == 422
    assert visitor.get("/api/search", {"q": "back", "limit": "500"}).status_code == 422


def test_listings_and_condition_details(visitor: Client) -> None:
    conditions = visitor.get("/api/conditions").json()
    assert {"id": "sciatica", "url": "/conditions/sciatica/"}.items() <= next(
        c for c in conditions if c["id"] == "sciatica"
    ).items()
    findings = visitor.get("/api/findings").json()
    assert any(f["id"] == "pain_location" and f["type"] == "several_choices" for f in findings)
    detail = visitor.get("/api/conditions/spine_metastases").json()
    assert detail["icd10"] == "C79.51" and detail["review_status"] == "not_reviewed"
    link = next(f for f in detail["findings"] if f["finding"] == "history_of_cancer")
    assert link["source"] == "deyo_1992" and link["red_flag"] is True
    assert any(t["id"] == "stereotactic_radiotherapy" for t in detail["treatments"])
    assert any(s["id"] == "deyo_1992" for s in detail["sources"])
    assert visitor.get("/api/conditions/nothing").status_code == 404


def test_openapi_schema_and_docs_are_served_locally(visitor: Client) -> None:
    schema = visitor.get("/api/openapi.json").json()
    assert {"/api/step", "/api/explain", "/api/search", "/api/conditions", "/api/findings"} <= set(schema["paths"])
    docs = visitor.get("/api/docs").content.decode()
    assert "swagger" in docs.lower()
    assert "cdn." not in docs and "https://" not in docs.split("<body", 1)[0]


def test_parse_finds_present_and_absent_findings(visitor: Client) -> None:
    code, data = _post(
        visitor, "parse", {"text": "My lower back has hurt for weeks, worse at night, no fever. I had breast cancer."}
    )
    assert code == 200
    assert {"back_pain", "pain_location:lower_back", "night_pain", "history_of_cancer", "cancer_type:breast"} <= set(
        data["present"]
    )
    assert data["absent"] == ["fever"] and data["complaint"] == "back_pain"
    assert any(m["ref"] == "fever" and m["negated"] for m in data["mentions"])
    code, data = _post(visitor, "parse", {"text": ""})
    assert code == 422 and data["detail"][0]["loc"] == ["body", "text"]


@pytest.mark.parametrize("path", ["step", "explain"])
def test_an_age_below_the_pack_s_youngest_is_a_422_naming_age(visitor: Client, path: str) -> None:
    body: dict[str, Any] = {"age": 2, "sex": "male", "complaint": "back_pain"}
    if path == "explain":
        body["condition"] = "sciatica"
    code, data = _post(visitor, path, body)
    assert code == 422
    assert data["detail"][0]["loc"] == ["body", "age"]
    assert "written for people aged 16 and over, got 2" in data["detail"][0]["msg"]
    assert _post(visitor, path, body | {"age": 16})[0] == 200
