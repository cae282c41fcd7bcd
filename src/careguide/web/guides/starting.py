"""The home page's common starting points: complaints people most often come with, most useful first.

The list is curated here, in one place, as finding ids. Each entry names the complaint ids that may stand
for it, best first, because packs differ (the general pack calls it ``skin_rash``; a narrower pack may have
none). An entry whose ids are all missing from the pack, or are not complaints there (the checker only
starts from a complaint), is left out; when fewer than ``minimum`` remain, the pack's other complaints fill
the list in the pack's own order, so a narrow pack (back pain) still offers its starting points.
"""

from __future__ import annotations

from careguide.kb import Finding, Knowledge

__all__ = ["STARTING_POINTS", "starting_points"]

# Ordered by how often people come with each (headache first). Each tuple: the ids that may stand for it.
STARTING_POINTS: tuple[tuple[str, ...], ...] = (
    ("headache",),
    ("cough",),
    ("fever",),
    ("abdominal_pain",),
    ("back_pain",),
    ("chest_pain",),
    ("skin_rash", "rash"),
    ("sore_throat",),
    ("ear_pain",),
    ("dizziness",),
    ("nausea_vomiting", "vomiting"),
    ("diarrhoea",),
    ("breathlessness", "severe_breathlessness"),
    ("joint_pain",),
    ("painful_urination", "urinary_symptoms"),
)


def _complaint(knowledge: Knowledge, finding_id: str) -> Finding | None:
    if finding_id in knowledge.finding_index:
        finding = knowledge.finding(finding_id)
        if finding.complaint:
            return finding
    return None


def starting_points(
    knowledge: Knowledge,
    curated: tuple[tuple[str, ...], ...] = STARTING_POINTS,
    minimum: int = 8,
) -> list[Finding]:
    """The complaint findings to offer as starting points: the curated ones the pack has, in order, topped
    up to ``minimum`` with the pack's other complaints."""
    chosen: dict[str, Finding] = {}
    for candidates in curated:
        for finding_id in candidates:
            finding = _complaint(knowledge, finding_id)
            if finding is not None:
                chosen.setdefault(finding.id, finding)
                break
    for finding in knowledge.findings:
        if len(chosen) >= minimum:
            break
        if finding.complaint:
            chosen.setdefault(finding.id, finding)
    return list(chosen.values())
