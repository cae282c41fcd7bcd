"""The JSON API: stateless steps, explanations, search, listings; bad input is a 4xx naming the field."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def _post(client: Client, path: str, body: Any) -> tuple[int, Any]:
    raw = body if isinstance(body, str) else json.dumps(body)
    response = client.post(f"/api/{path}", raw, content_type="application/json")
    return response.status_code, response.json()


@pytest.mark.usefixtures("back_pain_pack")
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


@pytest.mark.usefixtures("back_pain_pack")
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
    assert data["one_complaint"] is True and data["not_understood"] == []
    code, data = _post(visitor, "parse", {"text": "chest pain and a headache, xylophone lessons"})
    assert code == 200 and data["one_complaint"] is False and data["not_understood"] == ["xylophone lessons"]
    code, data = _post(visitor, "parse", {"text": ""})
    assert code == 422 and data["detail"][0]["loc"] == ["body", "text"]


@pytest.mark.usefixtures("back_pain_pack")
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


@pytest.mark.parametrize(
    ("body", "loc", "msg"),
    [
        ({"age": True, "sex": "male"}, ["body", "age"], "valid integer"),
        ({"age": "40", "sex": "male"}, ["body", "age"], "valid integer"),
        ({"age": 40.0, "sex": "male"}, ["body", "age"], "valid integer"),
        ({"age": 40, "sex": "male", "evidance": []}, ["body", "evidance"], "Extra inputs are not permitted"),
        (
            {
                "age": 40,
                "sex": "male",
                "evidence": [{"finding": "pain_location", "answer": ["lower_back", "lower_back"]}],
            },
            ["body", "evidence", 0, "answer", 1],
            "chosen more than once",
        ),
        (
            {"age": 40, "sex": "male", "evidence": [{"finding": "tearing_pain", "answer": "absent"}]},
            ["body", "evidence", 0, "finding"],
            "asked only when 'sudden_severe_pain' is present",
        ),
        (
            {
                "age": 40,
                "sex": "male",
                "evidence": [
                    {"finding": "sudden_severe_pain", "answer": "absent"},
                    {"finding": "tearing_pain", "answer": "present"},
                ],
            },
            ["body", "evidence", 1, "finding"],
            "asked only when 'sudden_severe_pain' is present",
        ),
    ],
)
def test_the_api_is_strict_and_uses_the_engine_s_own_rules(
    visitor: Client, body: Any, loc: list[Any], msg: str
) -> None:
    code, data = _post(visitor, "step", body)
    assert code == 422
    assert any(d["loc"] == loc and msg in d["msg"] for d in data["detail"]), data


def test_a_present_child_implies_its_yes_no_parent(visitor: Client) -> None:
    code, data = _post(
        visitor, "step", {"age": 40, "sex": "male", "evidence": [{"finding": "tearing_pain", "answer": "present"}]}
    )
    assert code == 200, data


def test_a_text_over_the_cap_is_refused_with_a_422_naming_the_text(visitor: Client) -> None:
    from careguide.text import MAX_TEXT_LENGTH

    assert MAX_TEXT_LENGTH == 2000
    code, data = _post(visitor, "parse", {"text": "back pain " * 200 + "x"})
    assert code == 422 and data["detail"][0]["loc"] == ["body", "text"]
    assert "at most 2000 characters" in data["detail"][0]["msg"]
    code, data = _post(visitor, "parse", {"text": ("back pain, no fever. " * 100)[:2000]})
    assert code == 200 and data["complaint"] == "back_pain"


def test_a_too_large_body_is_a_json_413_on_every_endpoint(visitor: Client) -> None:
    big = json.dumps({"text": "x" * 70_000})
    for path in ("parse", "step", "explain", "nothing"):
        response = visitor.post(f"/api/{path}", big, content_type="application/json")
        assert response.status_code == 413, path
        assert response["Content-Type"] == "application/json"
        assert "too large" in response.json()["detail"]


def test_an_unknown_api_path_is_a_json_404(visitor: Client) -> None:
    response = visitor.get("/api/nothing")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


@override_settings(CAREGUIDE_API_RATE="3/minute")
def test_the_api_is_throttled_per_address_with_retry_after() -> None:
    codes = [Client().get("/api/search", {"q": "back"}).status_code for _ in range(4)]  # no cookie to drop
    assert codes == [200, 200, 200, 429]
    limited = Client().get("/api/conditions")  # one limit for the whole API
    assert limited.status_code == 429 and limited.json() == {"detail": "Too many requests."}
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert Client(REMOTE_ADDR="192.0.2.7").get("/api/conditions").status_code == 200  # another address


@override_settings(CAREGUIDE_API_PARSE_RATE="2/hour")
def test_parsing_has_a_lower_limit_of_its_own(visitor: Client) -> None:
    codes = [_post(visitor, "parse", {"text": "sore back"})[0] for _ in range(3)]
    assert codes == [200, 200, 429]
    assert visitor.get("/api/conditions").status_code == 200
    assert 1 <= int(visitor.post("/api/parse", "{}", content_type="application/json")["Retry-After"]) <= 3600


def test_openapi_documents_errors_ids_and_strict_types(visitor: Client) -> None:
    schema = visitor.get("/api/openapi.json").json()
    operations = {op["operationId"]: (path, op) for path, item in schema["paths"].items() for op in item.values()}
    assert set(operations) == {
        "step",
        "explain",
        "parse",
        "search",
        "list_findings",
        "list_conditions",
        "get_condition",
        "report_pdf",
        "report_fhir",
    }
    refs = {
        code: body["content"]["application/json"]["schema"] for code, body in operations["step"][1]["responses"].items()
    }
    assert set(refs) == {"200", "400", "413", "422", "429"}
    assert refs["422"] == {"$ref": "#/components/schemas/ValidationErrorOut"}
    assert refs["429"] == {"$ref": "#/components/schemas/MessageOut"}
    for op_id, (_, op) in operations.items():
        assert "429" in op["responses"], op_id
        if op.get("requestBody") or op.get("parameters"):
            assert "422" in op["responses"] or op_id == "get_condition", op_id
    assert "404" in operations["get_condition"][1]["responses"]
    components = schema["components"]["schemas"]
    assert components["ValidationErrorOut"]["properties"]["detail"]["items"] == {
        "$ref": "#/components/schemas/ErrorDetailOut"
    }
    case = components["StepIn"]
    assert case["properties"]["age"]["type"] == "integer" and case["additionalProperties"] is False
    assert components["ParseIn"]["properties"]["text"]["maxLength"] == 2000
    assert "Retry-After" in schema["info"]["description"]


def test_an_emergency_rule_is_reported_at_once_with_what_to_do(visitor: Client) -> None:
    body = {
        "age": 58,
        "sex": "male",
        "complaint": "chest_pain",
        "volunteered": [{"finding": "crushing_chest_pain", "answer": "present"}],
    }
    code, data = _post(visitor, "step", body)
    assert code == 200 and data["questions_asked"] == 0
    alert = data["alert"]
    assert alert is not None and alert["level"] == "emergency" and alert["call"] == "999"
    assert alert["rule"] and alert["text"]
    calm = _post(visitor, "step", {"age": 30, "sex": "female", "complaint": "sore_throat"})[1]
    assert calm["alert"] is None


def test_a_baby_s_age_in_months_decides_the_fever_rule(visitor: Client) -> None:
    young = _post(visitor, "step", {"age": 0, "age_months": 2, "sex": "female", "complaint": "fever"})[1]
    assert young["alert"]["rule"] == "fever_baby_under_3_months" and young["care"]["level"] == "emergency"
    older = _post(visitor, "step", {"age": 0, "age_months": 7, "sex": "female", "complaint": "fever"})[1]
    assert all(r["rule"] != "fever_baby_under_3_months" for r in older["care"]["reasons"])
    code, data = _post(visitor, "step", {"age": 1, "age_months": 5, "sex": "female", "complaint": "fever"})
    assert code == 422 and data["detail"][0]["loc"] == ["body", "age_months"]
