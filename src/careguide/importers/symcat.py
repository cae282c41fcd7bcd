"""SymCat (CDC NAMCS-derived symptom and condition statistics) -> CareGuide's knowledge format.

The import is repeatable: the figures come from the SymCat files, everything a person reads (lay names,
summaries, questions, synonyms, ICD-10-CM codes, care levels, what to leave out and why) comes from the
curation overlay in ``knowledge/curation/symcat/`` and is reviewed there. The result is merged with a base
pack (the literature-based back-pain pack): one vocabulary, and the base pack's conditions and figures
take precedence where the two overlap.

Priors. SymCat gives P(symptom | condition) for each condition and, for each symptom, the share of its
visits due to each cause, P(condition | symptom). For a pair seen both ways,
log P(c) - log P(s) = log P(c | s) - log P(s | c); the least-squares solution over all pairs gives every
condition's relative frequency among visits (and every symptom's). Age-band and sex odds ratios become
the prior's multipliers; race odds are not used. A base-pack condition, whose prior is among people with
back pain, is moved to the same scale: P(c) = P(c | back pain) P(back pain) / P(back pain | c).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from pydantic import ValidationError
from scipy.sparse import coo_array
from scipy.sparse.linalg import lsqr

from careguide.kb.loader import Located, PackFiles, read_pack
from careguide.kb.problems import Problem
from careguide.kb.schema import (
    AGE_BANDS,
    AnswerType,
    CareLevel,
    Condition,
    Finding,
    FindingCategory,
    FindingLink,
    Prior,
    Provenance,
    Source,
)
from careguide.kb.validate import did_you_mean
from careguide.kb.yamlfile import YamlDoc, read_yaml

__all__ = [
    "SOURCE_ID",
    "CurationError",
    "SymCat",
    "SymCatImport",
    "arbitrary_ties",
    "import_symcat",
    "load_curation",
    "load_extra_figures",
    "load_not_explained",
    "load_symcat",
    "write_import",
]

SOURCE_ID = "symcat_namcs"
CONDITIONS = "symcat_801_conditions_parsed.json"
SYMPTOMS = "symcat_474_symptoms_parsed.json"
_AGE_KEYS = (
    "age-1-years", "age-1-4-years", "age-5-14-years", "age-15-29-years",
    "age-30-44-years", "age-45-59-years", "age-60-74-years", "age-75-years",
)  # fmt: skip
_SOURCE = Source(
    id=SOURCE_ID,
    citation=(
        "SymCat: symptom frequencies and age, sex and race odds for 801 conditions, derived from the US CDC "
        "National Ambulatory Medical Care Survey (NAMCS/NHAMCS); parsed by the teliov/symcat-to-synthea project."
    ),
    url="https://www.cdc.gov/nchs/ahcd/index.htm",
)


@dataclass(frozen=True)
class SymCat:
    conditions: dict[str, dict[str, Any]]
    symptoms: dict[str, dict[str, Any]]


@dataclass
class SymCatImport:
    files: PackFiles
    excluded: dict[str, str] = field(default_factory=dict)  # slug -> reason
    merged: dict[str, str] = field(default_factory=dict)  # slug -> base condition id
    missing_curation: list[str] = field(default_factory=list)
    new_findings: list[str] = field(default_factory=list)  # ids of findings added by the import
    profiled: dict[str, str] = field(default_factory=dict)  # SymCat condition id -> profile that replaces it
    profile_findings: list[str] = field(default_factory=list)  # ids of findings from knowledge/general
    problems: list[Problem] = field(default_factory=list)  # in the edited files; the build must not go on
    awaiting_profile: list[str] = field(default_factory=list)  # catalogue entries without a profile yet


def load_symcat(directory: Path) -> SymCat:
    for name in (CONDITIONS, SYMPTOMS):
        if not (directory / name).exists():
            raise FileNotFoundError(f"{directory / name}: SymCat file not found")
    return SymCat(
        json.loads((directory / CONDITIONS).read_text(encoding="utf-8")),
        json.loads((directory / SYMPTOMS).read_text(encoding="utf-8")),
    )


def _read_additions(directory: Path, problems: list[Problem]) -> PackFiles:
    """``added/`` in the curation folder: a small pack fragment (sources.yaml, findings/*.yaml,
    conditions/*.yaml, rules.yaml) in the project's own format. An entry that does not parse is a
    problem of the build, never silently left out."""
    root = directory / "added"
    if not root.is_dir():
        return PackFiles(root)
    files, found = read_pack(root, fragment=True)
    problems.extend(found)
    return files


def load_catalogue(general: Path) -> dict[str, list[str]]:
    """Profile id -> the SymCat conditions it covers (``replaces`` in ``general/catalogue.yaml``)."""
    path = general / "catalogue.yaml"
    data = _read_yaml(path) if path.exists() else None
    out: dict[str, list[str]] = {}
    for batch in (data or {}).values():
        for entry in batch or []:
            out[str(entry["id"])] = [str(x) for x in entry.get("replaces") or []]
    return out


class CurationError(ValueError):
    """A curation file that cannot be read: ``path:line: message``."""


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"{mark.line + 1}:" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CurationError(f"{path}:{line} {problem}") from None


def load_curation(directory: Path) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """(conditions overlay by slug, findings overlay by slug) from ``directory``."""
    conditions, _ = _curation_with_origin(directory)
    findings_path = directory / "findings.yaml"
    findings = _read_yaml(findings_path) if findings_path.exists() else {}
    return conditions, findings or {}


def _curation_with_origin(directory: Path) -> tuple[dict[str, dict[str, Any]], dict[str, Path]]:
    """The conditions overlay by slug, and the file each slug is written in."""
    conditions: dict[str, dict[str, Any]] = {}
    origin: dict[str, Path] = {}
    for path in sorted(directory.glob("conditions-*.yaml")):
        for slug, entry in (_read_yaml(path) or {}).items():
            conditions[str(slug)] = entry
            origin[str(slug)] = path
    return conditions, origin


@lru_cache(maxsize=256)
def _doc(path: Path) -> YamlDoc | None:
    return read_yaml(path, [])


def _problem_at(path: Path, loc: tuple[str | int, ...], message: str) -> Problem:
    """``message`` at the line of ``loc`` in ``path`` (an edited curation file)."""
    doc = _doc(path)
    return doc.problem(loc, message) if doc is not None else Problem(path, 1, message)


def _by_condition(folder: Path) -> Iterator[tuple[str, Any]]:
    """(condition id, its entry) from every ``folder/*.yaml`` mapping, in file order."""
    for cid, entry, _ in _by_condition_with_origin(folder):
        yield cid, entry


def _by_condition_with_origin(folder: Path) -> Iterator[tuple[str, Any, Path]]:
    for path in sorted(folder.glob("*.yaml")):
        for cid, entry in (_read_yaml(path) or {}).items():
            yield str(cid), entry, path


def load_not_explained(directory: Path) -> dict[str, set[str]]:
    """Condition id -> the findings SymCat records for it that it does not cause (``explains/*.yaml``)."""
    out: dict[str, set[str]] = {}
    for cid, fids in _by_condition(directory / "explains"):
        out.setdefault(cid, set()).update(str(f) for f in fids or [])
    return out


def load_extra_figures(directory: Path) -> dict[str, dict[str, Any]]:
    """Condition id -> {finding id: p or {option: p}}: expert estimates for questions SymCat has no figures
    for (``back-pain-figures/*.yaml``: the back-pain pack's follow-up questions)."""
    out: dict[str, dict[str, Any]] = {}
    for cid, figures in _by_condition(directory / "back-pain-figures"):
        out.setdefault(cid, {}).update(figures or {})
    return out


def _load_implies(directory: Path) -> dict[str, list[str]]:
    path = directory / "implies.yaml"
    data = _read_yaml(path) if path.exists() else None
    return {str(k): [str(x) for x in v] for k, v in (data or {}).items()}


def _with_implied(cond: Condition, implies: Mapping[str, list[str]], findings: Mapping[str, Finding]) -> Condition:
    """``cond`` with a link for each finding implied by one it lists (see curation/symcat/implies.yaml):
    P(implied) = P(implying finding and its yes/no parents), unless it lists the implied finding itself."""
    added: dict[str, FindingLink] = {}
    for fid, targets in implies.items():
        link = cond.findings.get(fid)
        if link is None or link.p is None:
            continue
        p, parent = link.p, findings[fid].parent
        while parent and ":" not in parent and parent in cond.findings:
            p *= cond.findings[parent].p or 1.0
            parent = findings[parent].parent
        for target in targets:
            if target not in cond.findings and target in findings:
                best = max(p, added[target].p or 0.0) if target in added else p
                note = f"implied by {fid}: the probability of {fid} (with its parents)"
                added[target] = FindingLink(p=round(min(max(best, 0.005), 0.995), 4), expert_estimate=True, note=note)
    return cond.model_copy(update={"findings": {**cond.findings, **added}}) if added else cond


def _symptom_slug(cause_or_symptom: str) -> str:
    return cause_or_symptom.removeprefix("cause-")


def estimate_log_frequencies(data: SymCat) -> tuple[dict[str, float], dict[str, float]]:
    """Least-squares log relative frequencies of conditions and symptoms among visits (see module doc)."""
    cond_ids = sorted(data.conditions)
    sym_ids = sorted(data.symptoms)
    ci = {c: i for i, c in enumerate(cond_ids)}
    si = {s: len(cond_ids) + i for i, s in enumerate(sym_ids)}
    rows, cols, vals, rhs = [], [], [], []
    r = 0
    for s, info in data.symptoms.items():
        for cause, entry in (info.get("common_causes") or {}).items():
            c = _symptom_slug(cause)
            if c not in data.conditions:
                continue
            p_s_given_c = (data.conditions[c]["symptoms"].get(s) or {}).get("probability")
            p_c_given_s = entry.get("probability")
            if not p_s_given_c or not p_c_given_s:
                continue
            rows += [r, r]
            cols += [ci[c], si[s]]
            vals += [1.0, -1.0]
            rhs.append(math.log(p_c_given_s / 100) - math.log(p_s_given_c / 100))
            r += 1
    # Gauge: the mean log frequency of conditions is 0 (only ratios matter).
    rows += [r] * len(cond_ids)
    cols += list(range(len(cond_ids)))
    vals += [1.0 / len(cond_ids)] * len(cond_ids)
    rhs.append(0.0)
    a = coo_array((vals, (rows, cols)), shape=(r + 1, len(cond_ids) + len(sym_ids))).tocsr()
    x = lsqr(a, np.array(rhs), atol=1e-10, btol=1e-10)[0]
    seen = {cols[i] for i in range(len(cols) - len(cond_ids))}
    median = float(np.median([x[i] for i in range(len(cond_ids)) if i in seen])) if seen else 0.0
    return (
        {c: float(x[ci[c]]) if ci[c] in seen else median for c in cond_ids},
        {s: float(x[si[s]]) for s in sym_ids if si[s] in seen},
    )


# Twelve SymCat conditions share one meaningless block of symptoms at 91% (ankle pain, excessive anger,
# pain during pregnancy...): a parsing artefact of the source. Their figures cannot be used.
_PLACEHOLDER = frozenset({"ankle-pain", "excessive-anger", "pain-during-pregnancy", "knee-lump-or-mass", "facial-pain"})


_FEMALE_WORDS = (
    "menstrua", "period", "pregnan", "vagina", "vulva", "uterus", "uterine", "ovar", "cervix",
    "labour", "miscarr", "menopaus", "hot flash", "spotting",
)  # fmt: skip
_MALE_WORDS = ("penis", "penile", "testic", "testes", "scrot", "prostat", "erecti", "ejaculat")
_LIST_LENGTH = 12  # SymCat shows at most this many symptoms per condition
# ICD-10-CM injuries by body region (S00-T14) and burns (T20-T32).
_INJURY_CODE = re.compile(r"^(S\d\d|T0\d|T1[0-4]|T2\d|T3[0-2])")
_BABY_WORDS = ("infant", "baby", "diaper", "nappy", "newborn", "teething")


def _sex_limit(text: str) -> str | None:
    """Questions about periods, pregnancy or the vagina go to women; about the penis or testicles to men."""
    if any(w in text for w in _FEMALE_WORDS):
        return "female"
    if any(w in text for w in _MALE_WORDS):
        return "male"
    return None


def arbitrary_ties(info: Mapping[str, Any]) -> set[str]:
    """Symptoms SymCat shows for a condition by name rather than by figure: its list is cut at 12, and
    when three or more symptoms tie at the lowest figure, the ones shown are picked alphabetically (so
    "vulvar sore", "shoulder swelling", "pelvic pressure"... recur across rare conditions). A tie at 10% or
    more means a handful of visits; such a block tells nothing about the condition and is dropped."""
    figures = {s: float(e.get("probability") or 0) for s, e in info["symptoms"].items()}
    if len(figures) < _LIST_LENGTH:
        return set()
    low = min(figures.values())
    tied = {s for s, v in figures.items() if v == low}
    return tied if len(tied) >= 3 and low >= 10 else set()


def _dropped_by_ties(
    fid: str, arbitrary: set[str], symptom_to_finding: Mapping[str, str], findings: Mapping[str, Finding]
) -> bool:
    """Whether ``fid`` is, or is the parent of, a finding that arbitrary_ties dropped."""
    for sym in arbitrary:
        target = symptom_to_finding.get(sym)
        while target:
            if target == fid:
                return True
            parent = findings[target].parent if target in findings else None
            target = parent.partition(":")[0] if parent else None
    return False


def corrupted(info: Mapping[str, Any]) -> bool:
    """Whether a condition's symptom list is SymCat's placeholder block."""
    high = {s for s, e in info["symptoms"].items() if (e.get("probability") or 0) >= 90}
    return len(high & _PLACEHOLDER) >= 3


def _condition_on_parents(links: dict[str, FindingLink], findings: Mapping[str, Finding]) -> dict[str, FindingLink]:
    """SymCat's figures are P(symptom | condition); a child finding's must be P(child | parent present,
    condition). The parent, if SymCat gives it no figure, is present when any child is (noisy-or), and each
    child is divided by its parent's probability."""
    out = dict(links)
    children: dict[str, list[str]] = {}
    for fid in links:
        parent = findings[fid].parent if fid in findings else None
        if parent and ":" not in parent:
            children.setdefault(parent, []).append(fid)
    for parent, kids in children.items():
        if parent not in out:
            none = math.prod(1 - (links[k].p or 0) for k in kids)
            out[parent] = FindingLink(p=min(max(1 - none, 0.005), 0.995), source=SOURCE_ID, note="from its refinements")
        p_parent = out[parent].p or 1.0
        for k in kids:
            out[k] = links[k].model_copy(update={"p": min(max((links[k].p or 0) / p_parent, 0.005), 0.995)})
    return out


def _red_flags(links: dict[str, FindingLink], rates: Mapping[str, float]) -> dict[str, FindingLink]:
    """Mark up to three of a must-not-miss condition's findings that are common in it (p >= 0.3) and most
    specific to it (highest ratio to their rate among all conditions) as its red flags."""
    scored = sorted(
        ((link.p or 0) / max(rates.get(fid, 0.01), 0.005), fid) for fid, link in links.items() if (link.p or 0) >= 0.3
    )
    picks = [fid for _, fid in scored[-3:]] or [max(links, key=lambda f: links[f].p or 0)]
    return {fid: link.model_copy(update={"red_flag": True}) if fid in picks else link for fid, link in links.items()}


# How many people with an exposure-bound condition had its exposure, when the curation gives no figure.
EXPOSURE_P = 0.95


def _exposure(
    slug: str, requires: Any, vocabulary: Mapping[str, Finding], origin: Path, problems: list[Problem]
) -> tuple[str, FindingLink] | None:
    """The finding and link of a curated ``requires: {finding, p, note}`` (p and note optional), or None with a
    problem in the curation file when it is malformed or names no yes/no finding."""
    if isinstance(requires, str):
        requires = {"finding": requires}
    if not isinstance(requires, dict) or "finding" not in requires or set(requires) - {"finding", "p", "note"}:
        message = f"{slug}: requires: give a finding id, or {{finding, p, note}}; got {requires!r}"
        problems.append(_problem_at(origin, (slug, "requires"), message))
        return None
    fid = str(requires["finding"])
    finding = vocabulary.get(fid)
    if finding is None or finding.type is not AnswerType.YES_NO:
        why = "unknown finding" if finding is None else "not a yes/no finding:"
        message = f"{slug}: requires: {why} {fid!r}{did_you_mean(fid, vocabulary) if finding is None else ''}"
        problems.append(_problem_at(origin, (slug, "requires"), message))
        return None
    p = requires.get("p", EXPOSURE_P)
    if not isinstance(p, (int, float)) or not 0.5 <= p < 1:
        problems.append(
            _problem_at(origin, (slug, "requires", "p"), f"{slug}: requires: p must be in [0.5, 1), got {p!r}")
        )
        return None
    note = str(requires.get("note") or "an exposure-bound condition: nearly everyone with it has had the exposure")
    return fid, FindingLink(p=float(p), expert_estimate=True, note=note)


def _multipliers(odds: Mapping[str, Any], keys: tuple[str, ...], names: tuple[str, ...]) -> dict[str, float]:
    return {name: float((odds.get(key) or {}).get("odds", 1.0)) for key, name in zip(keys, names, strict=True)}


def _merge_profile(base: Condition, profile: Condition) -> Condition:
    """A profile of a condition the base pack also has: the profile's fields and figures, and the base
    pack's figures for findings the profile does not list (the back-pain follow-up questions)."""
    return profile.model_copy(update={"findings": {**base.findings, **profile.findings}})


def import_symcat(data: SymCat, curation_dir: Path, base: PackFiles, general: PackFiles | None = None) -> SymCatImport:
    """Curated SymCat conditions and findings merged into ``base`` (whose entries take precedence), with
    the clinical profiles of ``general`` (``knowledge/general``) taking precedence over both."""
    general = general or PackFiles(curation_dir / "no-general")
    catalogue = load_catalogue(general.root)
    profiles = {c.model.id: c for c in general.conditions}
    covered = {old: pid for pid in profiles for old in catalogue.get(pid, [])}
    cond_cur, find_cur = load_curation(curation_dir)
    _, cond_origin = _curation_with_origin(curation_dir)
    not_explained = load_not_explained(curation_dir)
    extra_figures = load_extra_figures(curation_dir)
    explains_origin = {cid: path for cid, _, path in _by_condition_with_origin(curation_dir / "explains")}
    figures_origin = {cid: path for cid, _, path in _by_condition_with_origin(curation_dir / "back-pain-figures")}
    result = SymCatImport(files=base)
    findings_file = curation_dir / "findings.yaml"
    doc = YamlDoc(curation_dir, None)
    base_findings = {f.model.id: f.model for f in base.findings}
    for f in general.findings:
        if f.model.id in base_findings:
            result.problems.append(f.problem(f"finding {f.model.id!r} is already in the base pack", "id"))
    profile_vocab = {f.model.id: f.model for f in general.findings if f.model.id not in base_findings}
    base_findings = {**base_findings, **profile_vocab}
    base_conditions = {c.model.id: c.model for c in base.conditions}

    # Vocabulary: SymCat symptom slug -> finding id (existing or new).
    symptom_to_finding: dict[str, str] = {}
    new_findings: dict[str, Finding] = {}
    for slug, info in sorted(data.symptoms.items()):
        cur = find_cur.get(slug)
        if cur is None:
            result.missing_curation.append(f"symptom {slug}")
            continue
        if cur.get("same_as"):
            symptom_to_finding[slug] = str(cur["same_as"])
            continue
        if "id" not in cur or "question" not in cur:
            missing = "id" if "id" not in cur else "question"
            result.problems.append(_problem_at(findings_file, (slug,), f"{slug}: missing {missing!r} (or same_as)"))
            continue
        fid = str(cur["id"])
        symptom_to_finding[slug] = fid
        if fid in base_findings or fid in new_findings:
            continue  # the base pack's or a profile's own entry takes precedence
        text = f"{slug} {cur.get('name', '')} {cur.get('question', '')}".lower()
        new_findings[fid] = Finding(
            id=fid,
            name=str(cur.get("name") or info["name"]),
            question=str(cur["question"]),
            parent=cur.get("parent"),
            category=FindingCategory(cur.get("category", "symptom")),
            complaint=bool(cur.get("complaint", False)),
            synonyms=[str(x) for x in cur.get("synonyms") or []],
            # Guessed from the words unless the curation says ("since having a baby" is about the mother).
            sex=cur["sex"] if "sex" in cur else _sex_limit(text),
            max_age=cur["max_age"] if "max_age" in cur else 3 if any(w in text for w in _BABY_WORDS) else None,
            question_other=cur.get("question_other"),
            leak=cur.get("leak"),
            measure=cur.get("measure"),
        )

    log_c, log_s = estimate_log_frequencies(data)
    kept: dict[str, dict[str, Any]] = {}
    for slug in sorted(data.conditions):
        cur = cond_cur.get(slug)
        if cur is None:
            result.missing_curation.append(f"condition {slug}")
        elif not cur.get("keep", True):
            result.excluded[slug] = str(cur.get("reason", "left out"))
        elif corrupted(data.conditions[slug]):
            result.excluded[slug] = "SymCat's symptom figures for it are a placeholder block (a source artefact)"
        elif cur.get("same_as"):
            merged_into = str(cur["same_as"])
            if merged_into not in base_conditions and merged_into not in profiles:
                hint = did_you_mean(merged_into, [*base_conditions, *profiles])
                message = f"same_as: unknown condition {merged_into!r}{hint}"
                result.problems.append(_problem_at(cond_origin[slug], (slug, "same_as"), message))
            result.merged[slug] = merged_into
        else:
            absent_keys = [k for k in ("id", "name", "clinical_name", "icd10", "summary", "care") if not cur.get(k)]
            if absent_keys:
                listed = ", ".join(repr(m) for m in absent_keys)
                message = f"{slug}: missing {listed} (every kept condition needs them)"
                result.problems.append(_problem_at(cond_origin[slug], (slug,), message))
                continue
            kept[slug] = cur
    total = sum(math.exp(log_c[s]) for s in kept) or 1.0

    # How common each finding is across the kept conditions, for choosing red flags.
    counts: dict[str, list[float]] = {}
    for slug in kept:
        for sym, entry in data.conditions[slug]["symptoms"].items():
            target = symptom_to_finding.get(sym)
            if target is not None:
                counts.setdefault(target, []).append(float(entry.get("probability") or 0) / 100)
    rates = {fid: sum(v) / len(kept) for fid, v in counts.items()}

    conditions: list[Condition] = []
    for slug, cur in kept.items():
        info = data.conditions[slug]
        links: dict[str, FindingLink] = {}
        arbitrary = arbitrary_ties(info)
        for sym, entry in info["symptoms"].items():
            target = symptom_to_finding.get(sym) if sym not in arbitrary else None
            p = float(entry.get("probability") or 0) / 100
            if target is None or p <= 0:
                continue
            p = min(max(p, 0.005), 0.995)
            if target not in links or (links[target].p or 0) < p:
                links[target] = FindingLink(p=p, source=SOURCE_ID)
        vocabulary = {**base_findings, **new_findings}
        links = _condition_on_parents(links, vocabulary)
        cid = str(cur["id"])
        for fid in sorted(not_explained.get(cid, set())):
            if fid in links:
                links[fid] = links[fid].model_copy(update={"explains": False})
            elif not _dropped_by_ties(fid, arbitrary, symptom_to_finding, vocabulary):
                hint = did_you_mean(fid, links)
                message = f"{cid}: SymCat records no finding {fid!r} for it{hint}"
                result.problems.append(_problem_at(explains_origin[cid], (cid,), message))
        for fid, figure in extra_figures.get(cid, {}).items():
            if fid not in vocabulary:
                message = f"{cid}: unknown finding {fid!r}{did_you_mean(fid, vocabulary)}"
                result.problems.append(_problem_at(figures_origin[cid], (cid, fid), message))
            elif fid not in links:
                note = "expert estimate among people with it who have back or neck pain (curation/symcat)"
                if isinstance(figure, dict):
                    options = {str(o): float(v) for o, v in figure.items()}
                    links[fid] = FindingLink(options=options, expert_estimate=True, note=note)
                else:
                    links[fid] = FindingLink(p=float(figure), expert_estimate=True, note=note)
        if not any(
            vocabulary[f].complaint and link.explains and (link.p or 0) >= 0.1
            for f, link in links.items()
            if f in vocabulary
        ):
            # The quiz could never lead to it: SymCat records no main complaint in 10% or more of its visits.
            result.excluded[slug] = "no symptom that it causes and a person would start from is common in it (SymCat)"
            continue
        icd10 = str(cur["icd10"]).upper()
        requires = cur.get("requires")  # false: not exposure-bound, even if coded as an injury
        if requires is None and _INJURY_CODE.match(icd10) and "trauma" in vocabulary:
            # SymCat lists symptoms, not how they began; an injury is likely only once an injury is reported,
            # and "no injury" counts against a fracture or a bruise.
            requires = {"finding": "trauma", "p": 0.9, "note": "an injury (ICD-10-CM S00-T14, T20-T32)"}
        if requires is False:
            requires = None
        if requires is not None:
            exposure = _exposure(slug, requires, vocabulary, cond_origin[slug], result.problems)
            if exposure is None:
                continue
            exposure_id, exposure_link = exposure
            if exposure_id not in links or (links[exposure_id].p or 0) < (exposure_link.p or 0):
                links[exposure_id] = exposure_link
        must = bool(cur.get("must_not_miss", False))
        if must and links:
            links = _red_flags(links, rates)
        try:
            condition = Condition(
                id=str(cur["id"]),
                name=str(cur["name"]),
                clinical_name=str(cur["clinical_name"]),
                icd10=icd10,
                summary=str(cur["summary"]).strip(),
                care=CareLevel(cur["care"]),
                must_not_miss=must,
                prior=Prior(
                    value=min(max(math.exp(log_c[slug]) / total, 1e-7), 0.5),
                    age=_multipliers(info.get("age") or {}, _AGE_KEYS, AGE_BANDS),
                    sex={
                        "female": float((info.get("sex") or {}).get("sex-female", {}).get("odds", 1.0)),
                        "male": float((info.get("sex") or {}).get("sex-male", {}).get("odds", 1.0)),
                    },
                    modifiers=Provenance(source=SOURCE_ID),
                    source=SOURCE_ID,
                    note="visit frequency estimated from SymCat's P(symptom|condition) and P(condition|symptom)",
                ),
                findings=links,
                imported=True,
                requires=None if requires is None else str(requires["finding"]),
            )
        except (ValidationError, ValueError) as exc:
            message = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
            result.problems.append(_problem_at(cond_origin[slug], (slug,), f"{slug}: {message}"))
            continue
        conditions.append(condition)

    # Base conditions move to the visit scale through back pain (see the module doc).
    p_back = math.exp(log_s["back-pain"]) / total if "back-pain" in log_s else None
    implies = _load_implies(curation_dir)
    rescaled = []
    for c in base.conditions:
        cond = _with_implied(c.model, implies, {**base_findings, **new_findings})
        link = cond.findings.get("back_pain")
        if p_back is not None and link is not None and link.p:
            value = min(max(cond.prior.value * p_back / link.p, 1e-7), 0.5)
            earlier = f"{cond.prior.note}; " if cond.prior.note else ""
            note = f"{earlier}rescaled to all visits via P(back pain) from SymCat"
            cond = cond.model_copy(update={"prior": cond.prior.model_copy(update={"value": value, "note": note})})
        rescaled.append(Located(cond, c.doc, c.loc))

    # Hand-written additions for what SymCat lacks: findings, conditions (with literature figures or
    # expert estimates), sources, and red-flag rules (children's among them).
    extra = _read_additions(curation_dir, result.problems)
    for f in extra.findings:
        new_findings.setdefault(f.model.id, f.model)

    # Every id an editor wrote must name something the build has (a typo would silently drop data).
    named = {*base_conditions, *(c.id for c in conditions), *profiles, *(c.model.id for c in extra.conditions)}
    named |= {str(c["id"]) for c in cond_cur.values() if isinstance(c, dict) and c.get("id")}
    catalogue_file = general.root / "catalogue.yaml"
    for pid, olds in catalogue.items():
        for old in olds:
            if old not in named:
                message = f"{pid}: replaces unknown condition {old!r}{did_you_mean(old, named)}"
                result.problems.append(_problem_at(catalogue_file, (), message))
    for origin in (explains_origin, figures_origin):
        for cid, path in origin.items():
            if cid not in named:
                message = f"unknown condition {cid!r}{did_you_mean(cid, named)}"
                result.problems.append(_problem_at(path, (cid,), message))

    # Clinical profiles (knowledge/general) replace SymCat's entry for the same condition and the
    # SymCat conditions they cover; a profile of a base-pack condition extends it.
    kept_conditions: list[Located[Condition]] = []
    for located in [*rescaled, *(Located(c, doc, ()) for c in conditions if c.id not in base_conditions)]:
        cid = located.model.id
        if cid in covered and cid not in profiles:
            result.profiled[cid] = covered[cid]
        elif cid in profiles and cid not in base_conditions:
            result.profiled[cid] = cid
        elif cid in profiles:
            profile = profiles[cid]
            kept_conditions.append(Located(_merge_profile(located.model, profile.model), profile.doc, profile.loc))
        else:
            kept_conditions.append(located)
    merged_ids = {c.model.id for c in kept_conditions}
    for cid, profile in profiles.items():
        if cid not in merged_ids:
            kept_conditions.append(profile)  # a new condition, or one that replaces an entry of added/
    for pid in catalogue:
        if pid not in profiles:
            result.awaiting_profile.append(pid)
    files = PackFiles(
        root=base.root,
        pack=base.pack,
        sources=[*base.sources, Located(_SOURCE, doc, ()), *extra.sources, *general.sources],
        findings=[
            *(f for f in base.findings),
            *general.findings,
            *(Located(f, doc, ()) for f in new_findings.values() if f.id not in profile_vocab),
        ],
        conditions=[
            *kept_conditions,
            *(c for c in extra.conditions if c.model.id not in covered and c.model.id not in profiles),
        ],
        rules=[*base.rules, *extra.rules, *general.rules],
        treatments=[*base.treatments, *general.treatments],
        articles=[*base.articles, *general.articles],
        article_bodies={**base.article_bodies, **general.article_bodies},
    )
    result.files = files
    result.new_findings = [f for f in new_findings if f not in profile_vocab]
    result.profile_findings = list(profile_vocab)
    return result


def _significant(x: float, digits: int = 4) -> float:
    return float(f"{x:.{digits}g}")


def _rounded(data: dict[str, Any]) -> dict[str, Any]:
    """A condition's figures rounded before writing, so that the written pack is the same on every
    machine (least squares through different BLAS kernels differs in the 10th significant digit)."""
    prior = dict(data["prior"])
    prior["value"] = _significant(prior["value"])
    for key in ("age", "sex"):
        if key in prior:
            prior[key] = {k: _significant(v, 3) for k, v in prior[key].items()}
    findings = {}
    for fid, link in data["findings"].items():
        link = dict(link)
        if "p" in link:
            link["p"] = round(link["p"], 4)
        if "options" in link:
            link["options"] = {k: round(v, 4) for k, v in link["options"].items()}
        findings[fid] = link
    return {**data, "prior": prior, "findings": findings}


def write_import(result: SymCatImport, base_dir: Path, out: Path) -> None:
    """Write the merged pack to ``out``: the base pack's files, the imported findings and conditions,
    and ``curation-report.yaml`` listing what was left out (with reasons) and what was merged."""
    import shutil

    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(base_dir, out, ignore=shutil.ignore_patterns("curation", "scenarios", "vignettes", "conditions"))
    (out / "conditions").mkdir()

    def dump(path: Path, data: object) -> None:
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120), encoding="utf-8")

    files = result.files
    assert files.pack is not None
    pack = files.pack.model.model_copy(
        update={
            "name": "CareGuide general (SymCat, curated) with the back-pain pack",
            "description": "Conditions across medicine for all ages, with figures from SymCat (CDC NAMCS) and, for "
            "back pain and its causes, from the literature.",
            "min_age": 0,
            # SymCat lists a condition's common symptoms only; a main complaint that a condition does not
            # list is taken to be ten times rarer than the leak, so that the hundreds of conditions that do
            # not cause it do not outweigh the few that do (expert estimate; see docs/general-knowledge.md).
            "complaint_leak": 0.001,
            # A refinement of a symptom ("sharp tummy pain") among people with the symptom: an expert estimate
            # of how often a child finding is present with its parent when the condition does not list it.
            "child_leak": 0.15,
            # With some 160 must-not-miss conditions, a 0.5% threshold spends most of the budget on red
            # flags; 2% keeps under-triage as low (2% of synthetic patients) and asks 40% fewer of them.
            "engine": files.pack.model.engine.model_copy(update={"safety_threshold": 0.02}),
            "attribution": [*files.pack.model.attribution, "Symptom frequencies: SymCat, derived from CDC NAMCS"],
        }
    )
    dump(out / "pack.yaml", pack.model_dump(mode="json", exclude_defaults=True))
    dump(out / "sources.yaml", [s.model.model_dump(mode="json", exclude_none=True) for s in files.sources])
    added = set(result.new_findings)
    imported = [f.model for f in files.findings if f.model.id in added]
    dump(out / "findings" / "symcat.yaml", [f.model_dump(mode="json", exclude_defaults=True) for f in imported])
    profiled = set(result.profile_findings)
    if profiled:
        dump(
            out / "findings" / "profiles.yaml",
            [f.model.model_dump(mode="json", exclude_defaults=True) for f in files.findings if f.model.id in profiled],
        )
    dump(out / "rules.yaml", [r.model.model_dump(mode="json", exclude_defaults=True) for r in files.rules])
    dump(out / "treatments.yaml", [t.model.model_dump(mode="json", exclude_defaults=True) for t in files.treatments])
    for c in files.conditions:
        data = c.model.model_dump(mode="json", exclude_defaults=True)
        dump(out / "conditions" / f"{c.model.id}.yaml", _rounded(data))
    (out / "articles").mkdir(exist_ok=True)
    for article in files.articles:
        if not (out / "articles" / article.doc.path.name).exists():
            shutil.copyfile(article.doc.path, out / "articles" / article.doc.path.name)
    dump(
        out / "curation-report.yaml",
        {
            "left_out": dict(sorted(result.excluded.items())),
            "merged_into_base": dict(sorted(result.merged.items())),
            "replaced_by_profiles": dict(sorted(result.profiled.items())),
            "awaiting_profile": result.awaiting_profile,
            "missing_curation": result.missing_curation,
        },
    )
