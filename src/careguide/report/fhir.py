"""The report as a FHIR R4 Bundle (JSON): a Patient holding only sex, an Observation of age, a
QuestionnaireResponse with the answers and a RiskAssessment with the differential.

The resources are written as plain dicts (the site needs no FHIR library); the tests validate them with
``fhir.resources.R4B`` (FHIR 4.3), whose Patient, Observation, QuestionnaireResponse, RiskAssessment and
Bundle have the same elements as in R4 (4.0.1).
"""

from __future__ import annotations

import uuid
from typing import Any

from careguide.report.content import AnswerRow, Report

__all__ = ["ICD10CM", "fhir_bundle"]

ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
# The knowledge pack's own ids for findings and their options (no public code system exists for them).
FINDING_SYSTEM = "urn:careguide:finding"


def _urn() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def _answers(value: Any, finding_id: str, options: dict[str, str]) -> list[dict[str, Any]]:
    """A QuestionnaireResponse answer list: yes/no as a boolean, options as codings, "don't know" as the
    data-absent-reason code asked-unknown."""
    if value == "present":
        return [{"valueBoolean": True}]
    if value == "absent":
        return [{"valueBoolean": False}]
    if value == "unknown":
        return [{"valueCoding": {"system": DATA_ABSENT, "code": "asked-unknown", "display": "Asked But Unknown"}}]
    chosen = value if isinstance(value, list | tuple) else [value]
    if not chosen:
        return [{"valueString": "None of these"}]
    return [
        {"valueCoding": {"system": f"{FINDING_SYSTEM}:{finding_id}", "code": c, "display": options.get(c, c)}}
        for c in chosen
    ]


def _questionnaire_response(report: Report, patient: str) -> dict[str, Any]:
    def item(row: AnswerRow) -> dict[str, Any]:
        f = row.finding
        return {
            "linkId": f.id,
            "text": f.question,
            "answer": _answers(row.answer, f.id, {o.id: o.label for o in f.options}),
        }

    groups = []
    if report.complaint is not None:
        groups.append(
            {
                "linkId": "complaint",
                "text": "Main symptom",
                "answer": [
                    {
                        "valueCoding": {
                            "system": FINDING_SYSTEM,
                            "code": report.complaint.id,
                            "display": report.complaint.name,
                        }
                    }
                ],
            }
        )
    volunteered = [item(r) for r in report.answers if r.volunteered]
    asked = [item(r) for r in report.answers if not r.volunteered]
    if volunteered:
        groups.append(
            {
                "linkId": "volunteered",
                "text": "Given in the person's own words before the questions",
                "item": volunteered,
            }
        )
    if asked:
        groups.append({"linkId": "asked", "text": "Answers to the questions asked", "item": asked})
    return {
        "resourceType": "QuestionnaireResponse",
        "status": "completed" if report.complete else "in-progress",
        "subject": {"reference": patient},
        "authored": report.created.isoformat(),
        "item": groups,
    }


def _risk_assessment(report: Report, patient: str, answers: str) -> dict[str, Any]:
    predictions = [
        {
            "outcome": {
                "coding": [{"system": ICD10CM, "code": rc.condition.icd10, "display": rc.condition.clinical_name}],
                "text": rc.condition.name,
            },
            "probabilityDecimal": round(rc.probability, 4),
            "rationale": rc.explanation.text,
        }
        for rc in report.conditions
    ]
    notes = [report.not_a_diagnosis, *report.red_flags, *report.reasons]
    return {
        "resourceType": "RiskAssessment",
        "status": "final" if report.complete else "preliminary",
        "method": {"text": f"CareGuide, knowledge pack {report.pack_name} {report.pack_version}"},
        "subject": {"reference": patient},
        "occurrenceDateTime": report.created.isoformat(),
        "basis": [{"reference": answers}],
        "prediction": predictions,
        "mitigation": f"{report.care_title}. {report.care_advice}",
        "note": [{"text": n} for n in notes],
    }


def _age_observation(report: Report, patient: str) -> dict[str, Any]:
    months = report.age_months is not None and report.age < 2
    value, unit = (report.age_months, "mo") if months else (report.age, "a")
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": LOINC, "code": "30525-0", "display": "Age"}], "text": "Age"},
        "subject": {"reference": patient},
        "effectiveDateTime": report.created.isoformat(),
        "valueQuantity": {"value": value, "unit": "months" if months else "years", "system": UCUM, "code": unit},
    }


def fhir_bundle(report: Report) -> dict[str, Any]:
    """A ``collection`` Bundle of the report. The Patient has no name, birth date or identifier: only the sex
    (FHIR's administrative gender); the age is an Observation. References are the entries' urn:uuid ids."""
    patient, age, answers, risk = _urn(), _urn(), _urn(), _urn()
    resources = [
        (patient, {"resourceType": "Patient", "gender": report.sex}),
        (age, _age_observation(report, patient)),
        (answers, _questionnaire_response(report, patient)),
        (risk, _risk_assessment(report, patient, answers)),
    ]
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": report.created.isoformat(),
        "entry": [{"fullUrl": url, "resource": resource} for url, resource in resources],
    }
