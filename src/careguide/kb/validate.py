"""Checks across the files of a pack: references, duplicates, codes, probabilities, provenance."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from careguide.kb.icd10 import is_code
from careguide.kb.loader import Located, PackFiles, read_pack
from careguide.kb.problems import Problem
from careguide.kb.schema import AnswerType, Condition, Finding

__all__ = ["check", "check_files", "did_you_mean"]

_SUM_TOLERANCE = 0.02


def _unique(items: Iterable[Located[Any]], what: str, problems: list[Problem]) -> None:
    first: dict[str, Located[Any]] = {}
    for item in items:
        ident = item.model.id
        if ident in first:
            other = first[ident]
            problems.append(
                item.problem(
                    f"duplicate {what} id {ident!r} (first defined at {other.doc.path}:{other.doc.line(other.loc)})",
                    "id",
                )
            )
        else:
            first[ident] = item


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest known id, or '' when none is close."""
    close = get_close_matches(name, list(known), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _check_ref(
    ref: str,
    findings: dict[str, Finding],
    item: Located[Any],
    field: str,
    problems: list[Problem],
    i: int,
    unparsed: frozenset[str] | set[str] = frozenset(),
) -> None:
    fid, _, opt = ref.partition(":")
    finding = findings.get(fid)
    if finding is None and fid in unparsed:
        return
    if finding is None:
        problems.append(item.problem(f"{field}: unknown finding {fid!r}{did_you_mean(fid, findings)}", field, i))
    elif opt and opt not in {o.id for o in finding.options}:
        problems.append(item.problem(f"{field}: finding {fid!r} has no option {opt!r}", field, i))


# An exposure a condition requires is one nearly everyone with it has had; a lower figure would make the gate
# (until answered, the exposure counts as absent) lower a condition the exposure does not define.
REQUIRES_MIN_P = 0.5


def _check_requires(
    c_item: Located[Condition], findings: Mapping[str, Finding], problems: list[Problem], unparsed: Iterable[str]
) -> None:
    c = c_item.model
    fid = c.requires
    assert fid is not None
    finding = findings.get(fid)
    if finding is None:
        if fid not in unparsed:
            problems.append(
                c_item.problem(f"requires: unknown finding {fid!r}{did_you_mean(fid, findings)}", "requires")
            )
        return
    if finding.type is not AnswerType.YES_NO:
        problems.append(c_item.problem(f"requires: {fid!r} is a {finding.type.value} finding, not yes_no", "requires"))
        return
    link = c.findings.get(fid)
    if link is None or link.p is None or link.p < REQUIRES_MIN_P:
        got = "not listed" if link is None or link.p is None else f"listed at {link.p}"
        problems.append(
            c_item.problem(
                f"requires: {fid!r} must be listed in findings with p >= {REQUIRES_MIN_P} (the share of people with "
                f"the condition who had the exposure); it is {got}",
                "requires",
            )
        )


def check_files(files: PackFiles) -> list[Problem]:
    """Cross-file problems of an already parsed pack."""
    problems: list[Problem] = []
    for group, what in (
        (files.sources, "source"),
        (files.findings, "finding"),
        (files.conditions, "condition"),
        (files.rules, "rule"),
        (files.treatments, "treatment"),
    ):
        _unique(group, what, problems)

    sources = {s.model.id for s in files.sources} | files.unparsed
    findings = {f.model.id: f.model for f in files.findings}
    conditions = {c.model.id for c in files.conditions} | files.unparsed

    def need_source(item: Located[Any], source: str | None, *loc: str | int) -> None:
        if source is not None and source not in sources:
            hint = did_you_mean(source, sources)
            problems.append(item.problem(f"unknown source {source!r} (not in sources.yaml){hint}", *loc, "source"))

    # Findings: parents exist, no cycles, age limits in order.
    for f_item in files.findings:
        f = f_item.model
        if f.min_age is not None and f.max_age is not None and f.min_age > f.max_age:
            problems.append(f_item.problem(f"min_age {f.min_age} is above max_age {f.max_age}", "min_age"))
        if f.leak_source is not None and f.leak_source not in sources:
            problems.append(f_item.problem(f"unknown source {f.leak_source!r} (not in sources.yaml)", "leak_source"))
        if f.parent is None:
            continue
        _check_ref(f.parent, findings, f_item, "parent", problems, 0, files.unparsed)
        seen = {f.id}
        current: Finding | None = f
        while current is not None and current.parent is not None:
            pid = current.parent.partition(":")[0]
            if pid in seen:
                problems.append(f_item.problem(f"parent chain of {f.id!r} loops back to {pid!r}", "parent"))
                break
            seen.add(pid)
            current = findings.get(pid)

    # Conditions: code, provenance, links.
    for c_item in files.conditions:
        c = c_item.model
        if not is_code(c.icd10):
            problems.append(c_item.problem(f"unknown ICD-10-CM code {c.icd10!r}", "icd10"))
        need_source(c_item, c.prior.source, "prior")
        if c.prior.modifiers is not None:
            need_source(c_item, c.prior.modifiers.source, "prior", "modifiers")
        if not c.findings:
            problems.append(c_item.problem("a condition needs at least one finding", "findings"))
        if c.requires is not None:
            _check_requires(c_item, findings, problems, files.unparsed)
        for fid, link in c.findings.items():
            loc = ("findings", fid)
            need_source(c_item, link.source, *loc)
            finding = findings.get(fid)
            if finding is None:
                if fid not in files.unparsed:
                    problems.append(c_item.problem(f"unknown finding {fid!r}{did_you_mean(fid, findings)}", *loc))
                continue
            if finding.type is AnswerType.YES_NO:
                if link.p is None:
                    problems.append(c_item.problem(f"{fid!r} is a yes_no finding: give `p`, not `options`", *loc))
                elif not 0 < link.p < 1:
                    problems.append(c_item.problem(f"probability {link.p} for {fid!r} is outside (0, 1)", *loc, "p"))
                continue
            if link.options is None:
                problems.append(c_item.problem(f"{fid!r} is a {finding.type.value} finding: give `options`", *loc))
                continue
            known = {o.id for o in finding.options}
            for opt, p in link.options.items():
                if opt not in known:
                    problems.append(c_item.problem(f"finding {fid!r} has no option {opt!r}", *loc, "options", opt))
                elif not 0 < p < 1:
                    problems.append(
                        c_item.problem(f"probability {p} for {fid}:{opt} is outside (0, 1)", *loc, "options", opt)
                    )
            if finding.type is AnswerType.ONE_CHOICE:
                total = sum(link.options.values())
                if total > 1 + _SUM_TOLERANCE:
                    problems.append(c_item.problem(f"options of one_choice {fid!r} sum to {total:.3f}, above 1", *loc))
                elif set(link.options) >= known and total < 1 - _SUM_TOLERANCE:
                    problems.append(
                        c_item.problem(
                            f"options of one_choice {fid!r} list every option but sum to {total:.3f}, not 1",
                            *loc,
                        )
                    )

    for f_item in files.findings:
        for i, fid in enumerate(f_item.model.family_of):
            _check_ref(fid, findings, f_item, "family_of", problems, i, files.unparsed)

    # Rules and treatments: references.
    for r_item in files.rules:
        r = r_item.model
        for field in ("all", "any", "none"):
            for i, ref in enumerate(getattr(r, field)):
                _check_ref(ref, findings, r_item, field, problems, i, files.unparsed)
        for i, cid in enumerate(r.conditions):
            if cid not in conditions:
                hint = did_you_mean(cid, conditions)
                problems.append(r_item.problem(f"conditions: unknown condition {cid!r}{hint}", "conditions", i))
        for i, fid in enumerate(r.complaints):
            if fid not in findings:
                hint = did_you_mean(fid, findings)
                problems.append(r_item.problem(f"complaints: unknown finding {fid!r}{hint}", "complaints", i))
            elif not findings[fid].complaint:
                problems.append(r_item.problem(f"complaints: {fid!r} is not a main complaint", "complaints", i))
        need_source(r_item, r.source)
        if r.min_age is not None and r.max_age is not None and r.min_age > r.max_age:
            problems.append(r_item.problem("min_age is above max_age", "min_age"))
        low, high = r.min_age_months, r.max_age_months
        if low is not None and high is not None and low > high:
            problems.append(r_item.problem("min_age_months is above max_age_months", "min_age_months"))
    for t_item in files.treatments:
        t = t_item.model
        for i, cid in enumerate(t.conditions):
            if cid not in conditions:
                hint = did_you_mean(cid, conditions)
                problems.append(t_item.problem(f"conditions: unknown condition {cid!r}{hint}", "conditions", i))
        for i, ref in enumerate(t.findings):
            _check_ref(ref, findings, t_item, "findings", problems, i, files.unparsed)
        for i, ref in enumerate(t.not_when):
            _check_ref(ref, findings, t_item, "not_when", problems, i, files.unparsed)
        for i, cid in enumerate(t.not_when_suspected):
            if cid not in conditions:
                hint = did_you_mean(cid, conditions)
                problems.append(
                    t_item.problem(f"not_when_suspected: unknown condition {cid!r}{hint}", "not_when_suspected", i)
                )
        need_source(t_item, t.source)
        if t.contraindication_source is not None and t.contraindication_source not in sources:
            hint = did_you_mean(t.contraindication_source, sources)
            problems.append(
                t_item.problem(
                    f"unknown source {t.contraindication_source!r} (not in sources.yaml){hint}",
                    "contraindication_source",
                )
            )

    # Guides: for a known condition, citing known sources.
    for a_item in files.articles:
        meta = a_item.model
        if meta.condition not in conditions:
            hint = did_you_mean(meta.condition, conditions)
            problems.append(a_item.problem(f"unknown condition {meta.condition!r}{hint}", "condition"))
        for i, sid in enumerate(meta.sources):
            if sid not in sources:
                hint = did_you_mean(sid, sources)
                problems.append(a_item.problem(f"unknown source {sid!r} (not in sources.yaml){hint}", "sources", i))

    # Safety: every must-not-miss condition has a red flag the interview can ask first.
    guarded = {cid for r in files.rules for cid in r.model.conditions}
    for s_item in files.conditions:
        c = s_item.model
        flagged = any(link.red_flag for link in c.findings.values())
        if c.must_not_miss and not flagged and c.id not in guarded:
            problems.append(
                s_item.problem(
                    "must-not-miss condition has no red flag: mark a finding `red_flag: true` or name it in a rule",
                    "must_not_miss",
                )
            )
    return problems


def check(root: Path) -> list[Problem]:
    """Every problem of the pack at ``root``, sorted by file and line; empty when valid."""
    files, problems = read_pack(root)
    problems.extend(check_files(files))
    return sorted(set(problems))
