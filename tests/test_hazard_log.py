"""docs/hazard-log.md cannot go stale silently: every test it names exists, every file and code name it names
exists, every hazard has its fields, its ratings follow the risk matrix, and the summary agrees with the entries.

Tests are checked by reading the test file's syntax tree for the function (a module-level test or one in a
class), so the browser and PostgreSQL tests are checked without their dependencies being importable.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOG = ROOT / "docs" / "hazard-log.md"

SEVERITIES = ("Minor", "Significant", "Considerable", "Major", "Catastrophic")
LIKELIHOODS = ("Very low", "Low", "Medium", "High", "Very high")
FIELDS = (
    "Hazard",
    "Possible causes",
    "Effect on the patient",
    "Initial risk",
    "Controls in design",
    "Controls by test",
    "Gaps",
    "Residual risk",
    "Status",
    "Owner",
)
STATUSES = ("Open", "Controlled")

_HEADING = re.compile(r"^### (HAZ-\d\d): (.+)$", re.MULTILINE)
_FIELD = re.compile(r"^- \*\*([^*]+):\*\*", re.MULTILINE)
_RISK = re.compile(
    r"^- \*\*(Initial|Residual) risk:\*\* severity ([A-Za-z]+) \((\d)\), likelihood ([A-Za-z ]+) \((\d)\): "
    r"rating (\d)$",
    re.MULTILINE,
)
_TEST_REF = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")
_PATH_REF = re.compile(r"`((?:src|tests|knowledge|docs|benchmarks|packs)/[\w./-]*?)(?:::(\w+))?`")


def _text() -> str:
    return LOG.read_text(encoding="utf-8")


def _entries() -> dict[str, str]:
    """Hazard id -> its section's text (heading included)."""
    text = _text()
    hazards = text[text.index("## Hazards") : text.index("## Evidence and how to re-run it")]
    marks = list(_HEADING.finditer(hazards))
    return {
        m.group(1): hazards[m.start() : (marks[i + 1].start() if i + 1 < len(marks) else None)]
        for i, m in enumerate(marks)
    }


def _matrix() -> dict[tuple[str, str], int]:
    """(likelihood, severity) -> rating, from the log's own matrix table."""
    text = _text()
    table = text[text.index("| likelihood | Minor |") :].split("\n\n", 1)[0].splitlines()
    header = [c.strip() for c in table[0].strip("|").split("|")]
    assert header[1:] == list(SEVERITIES)
    out = {}
    for row in table[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        for severity, rating in zip(SEVERITIES, cells[1:], strict=True):
            out[(cells[0], severity)] = int(rating)
    return out


@cache
def _defined(path: Path) -> frozenset[str]:
    """Names defined at module level in ``path`` and inside its classes (functions, classes, assignments)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    bodies = [tree.body] + [n.body for n in tree.body if isinstance(n, ast.ClassDef)]
    for body in bodies:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Assign):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
    return frozenset(names)


def test_the_log_lists_every_hazard_the_brief_asks_for() -> None:
    entries = _entries()
    assert list(entries) == [f"HAZ-{i:02d}" for i in range(1, len(entries) + 1)], "ids in order, none skipped"
    titles = " ".join(_HEADING.search(e).group(2).lower() for e in entries.values())  # type: ignore[union-attr]
    for words in (
        "in the person's words",
        "red-flag rule",
        "spread thinly",
        "interview stops",
        "months",
        "answers for someone else",
        "over-triage",
        "wrong condition",
        "treatment",
        "knowledge edit",
        "out of date",
        "server error",
        "same time",
        "leak",
        "another person",
    ):
        assert words in titles, f"no hazard about {words!r}"


@pytest.mark.parametrize("hazard", list(_entries()))
def test_each_hazard_has_every_field_once_in_order(hazard: str) -> None:
    fields = _FIELD.findall(_entries()[hazard])
    assert [f for f in fields if f in FIELDS] == list(FIELDS), f"{hazard}: fields {fields}"
    status = re.search(r"^- \*\*Status:\*\* (\w+)", _entries()[hazard], re.MULTILINE)
    assert status is not None and status.group(1) in STATUSES


@pytest.mark.parametrize("hazard", list(_entries()))
def test_each_rating_follows_the_matrix(hazard: str) -> None:
    matrix = _matrix()
    risks = _RISK.findall(_entries()[hazard])
    assert [r[0] for r in risks] == ["Initial", "Residual"], f"{hazard}: risk lines not in the expected form"
    for _, severity, s_rank, likelihood, l_rank, rating in risks:
        assert SEVERITIES.index(severity) + 1 == int(s_rank), f"{hazard}: {severity} is not ({s_rank})"
        assert LIKELIHOODS.index(likelihood) + 1 == int(l_rank), f"{hazard}: {likelihood} is not ({l_rank})"
        assert matrix[(likelihood, severity)] == int(rating), f"{hazard}: {likelihood} x {severity} is not {rating}"


@pytest.mark.parametrize("hazard", list(_entries()))
def test_each_hazard_names_a_control_in_the_code_and_a_test(hazard: str) -> None:
    entry = _entries()[hazard]
    design = entry[entry.index("**Controls in design:**") : entry.index("**Controls by test:**")]
    tests = entry[entry.index("**Controls by test:**") : entry.index("**Gaps:**")]
    assert re.search(r"`src/careguide/", design), f"{hazard}: no control in the code named"
    assert _TEST_REF.search(tests), f"{hazard}: no test named"


def test_the_summary_agrees_with_the_entries() -> None:
    text = _text()
    summary = text[text.index("## Summary") : text.index("## Hazards")]
    rows = [
        [c.strip() for c in line.strip("|").split("|")] for line in summary.splitlines() if line.startswith("| HAZ-")
    ]
    entries = _entries()
    assert [r[0] for r in rows] == list(entries)
    for hazard, title, initial, residual, status in rows:
        entry = entries[hazard]
        assert entry.splitlines()[0] == f"### {hazard}: {title}"
        ratings = [r[5] for r in _RISK.findall(entry)]
        assert ratings == [initial, residual], f"{hazard}: summary {initial}/{residual}, entry {ratings}"
        assert f"- **Status:** {status}" in entry


def test_every_test_named_exists() -> None:
    refs = set(_TEST_REF.findall(_text()))
    assert len(refs) >= 40
    missing = [
        f"{path}::{name}"
        for path, name in sorted(refs)
        if not (ROOT / path).is_file() or name not in _defined(ROOT / path)
    ]
    assert not missing, f"tests named in the hazard log that do not exist: {missing}"


def test_every_file_and_code_name_named_exists() -> None:
    missing = []
    for path, name in sorted(set(_PATH_REF.findall(_text()))):
        target = ROOT / path.rstrip("/")
        if not target.exists():
            missing.append(path)
        elif name and (target.suffix != ".py" or name not in _defined(target)):
            missing.append(f"{path}::{name}")
    assert not missing, f"files or names in the hazard log that do not exist: {missing}"


def test_the_open_hazards_pinned_by_expected_failures_are_named_in_the_log() -> None:
    """Every strict expected failure in the controls tests is an open gap this log describes by its test."""
    tree = ast.parse((ROOT / "tests" / "test_hazard_controls.py").read_text(encoding="utf-8"))
    pinned = {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and any("xfail" in ast.unparse(d) for d in node.decorator_list)
    }
    assert pinned
    text = _text()
    for name in pinned:
        assert f"`tests/test_hazard_controls.py::{name}`" in text, f"{name} is not in the hazard log"
        mentions = text.split(f"`tests/test_hazard_controls.py::{name}`")
        assert all("Open, pinned" in before[-400:] for before in mentions[:-1]), f"{name} is not listed as open"
