"""DDXPlus (Fansi Tchango et al., NeurIPS 2022; CC BY 4.0) -> a knowledge pack in CareGuide's format.

The evidence and condition files give the vocabulary (binary, one-choice and several-choice evidences,
sub-questions asked once their parent question is present) and the conditions (ICD-10 code, severity);
P(evidence | condition) and the priors are learned from patients, with Laplace smoothing.

Severity is mapped to care levels: 1 (most severe) -> emergency, 2 -> urgent, 3 -> routine,
4 and 5 -> self-care; severity-1 conditions are must-not-miss, their most telling evidences red flags.
"""

from __future__ import annotations

import ast
import csv
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from careguide.kb.loader import Located, PackFiles
from careguide.kb.schema import (
    AGE_BANDS,
    AnswerType,
    CareLevel,
    Condition,
    Finding,
    FindingCategory,
    FindingLink,
    Option,
    Pack,
    Prior,
    Provenance,
    Source,
    age_band_index,
)
from careguide.kb.yamlfile import YamlDoc

__all__ = [
    "SOURCE_ID",
    "DDXPatient",
    "DDXPlus",
    "build_pack",
    "condition_id",
    "finding_id",
    "load_ddxplus",
    "patient_answers",
    "write_pack",
]

SOURCE_ID = "ddxplus_2022"
EVIDENCES = "release_evidences.json"
CONDITIONS = "release_conditions.json"
PATIENTS = "release_test_patients_subset_ameliag.csv"
_CARE = {
    1: CareLevel.EMERGENCY,
    2: CareLevel.URGENT,
    3: CareLevel.ROUTINE,
    4: CareLevel.SELF_CARE,
    5: CareLevel.SELF_CARE,
}
_SOURCE = Source(
    id=SOURCE_ID,
    citation=(
        "Fansi Tchango A, Goel R, Wen Z, Martel J, Ghosn J. DDXPlus: a new dataset for automatic medical "
        "diagnosis. Advances in Neural Information Processing Systems 35 (Datasets and Benchmarks), 2022. "
        "Data licensed CC BY 4.0."
    ),
    doi="10.48550/arXiv.2205.09148",
    url="https://github.com/mila-iqia/ddxplus",
)


def finding_id(evidence: str) -> str:
    return evidence.lower()


def option_id(value: object) -> str:
    return f"v{value}" if isinstance(value, int) or str(value).isdigit() else str(value).lower()


def condition_id(name: str) -> str:
    return re.sub(r"_+", "_", re.sub(r"[^a-z0-9]+", "_", name.lower())).strip("_")


@dataclass(frozen=True)
class DDXPatient:
    age: int
    sex: str  # "female" | "male"
    diagnosis: str  # condition name as in the condition file
    initial: str  # the initial evidence (main complaint)
    evidence: dict[str, list[str] | bool]  # evidence name -> True (binary) or the values recorded
    differential: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class DDXPlus:
    evidences: dict[str, dict[str, object]]
    conditions: dict[str, dict[str, object]]
    patients: tuple[DDXPatient, ...]


def _parse_features(raw: str) -> dict[str, list[str] | bool]:
    out: dict[str, list[str] | bool] = {}
    for item in ast.literal_eval(raw):
        name, _, value = str(item).partition("_@_")
        if value:
            current = out.get(name)
            values = current if isinstance(current, list) else []
            values.append(value)
            out[name] = values
        else:
            out[name] = True
    return out


def load_ddxplus(directory: Path) -> DDXPlus:
    """Read the three DDXPlus files from ``directory``; a missing file is an error naming it."""
    for name in (EVIDENCES, CONDITIONS, PATIENTS):
        if not (directory / name).exists():
            raise FileNotFoundError(f"{directory / name}: DDXPlus file not found")
    evidences = json.loads((directory / EVIDENCES).read_text(encoding="utf-8"))
    conditions = json.loads((directory / CONDITIONS).read_text(encoding="utf-8"))
    patients = []
    with (directory / PATIENTS).open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            patients.append(
                DDXPatient(
                    age=min(int(row["age"]), 120),
                    sex="female" if row["sex"].upper() == "F" else "male",
                    diagnosis=row["diagnosis"],
                    initial=row["feature_id"],
                    evidence=_parse_features(row["features"]),
                    differential=tuple((str(n), float(p)) for n, p in ast.literal_eval(row["top5_diagnoses"])),
                )
            )
    return DDXPlus(evidences, conditions, tuple(patients))


def _kind(ev: dict[str, object]) -> AnswerType:
    return {"B": AnswerType.YES_NO, "C": AnswerType.ONE_CHOICE, "M": AnswerType.SEVERAL_CHOICES}[str(ev["data_type"])]


def _parent_name(data: DDXPlus, name: str) -> str | None:
    """The evidence this one is a sub-question of (some name a question that is not an evidence: none)."""
    parent = str(data.evidences[name]["code_question"])
    return parent if parent != name and parent in data.evidences else None


def _values(ev: dict[str, object]) -> list[str]:
    return [str(v) for v in ev["possible-values"]]  # type: ignore[attr-defined]


def _label(ev: dict[str, object], value: str) -> str:
    meaning = ev.get("value_meaning") or {}
    assert isinstance(meaning, dict)
    entry = meaning.get(value)
    return str(entry["en"]) if entry else value


def patient_answers(data: DDXPlus, patient: DDXPatient) -> dict[str, str | list[str]]:
    """The answer this patient gives to every finding (children only where the parent is present)."""
    out: dict[str, str | list[str]] = {}
    for name, ev in data.evidences.items():
        kind = _kind(ev)
        recorded = patient.evidence.get(name)
        if kind is AnswerType.YES_NO:
            out[finding_id(name)] = "present" if recorded else "absent"
            continue
        parent = _parent_name(data, name)
        if parent is not None and not patient.evidence.get(parent):
            continue  # never asked: its parent question is absent
        values = recorded if isinstance(recorded, list) else [str(ev["default_value"])]
        if kind is AnswerType.ONE_CHOICE:
            out[finding_id(name)] = option_id(values[0])
        else:
            out[finding_id(name)] = sorted({option_id(v) for v in values})
    return out


def _findings(data: DDXPlus, complaints: set[str]) -> list[Finding]:
    findings = []
    for name, ev in data.evidences.items():
        kind = _kind(ev)
        options = (
            [] if kind is AnswerType.YES_NO else [Option(id=option_id(v), label=_label(ev, v)) for v in _values(ev)]
        )
        question = str(ev["question_en"]).strip()
        findings.append(
            Finding(
                id=finding_id(name),
                name=question.rstrip("?:").strip() or name,
                question=question,
                type=kind,
                options=options,
                parent=finding_id(p) if (p := _parent_name(data, name)) else None,
                category=FindingCategory.HISTORY if ev.get("is_antecedent") else FindingCategory.SYMPTOM,
                complaint=name in complaints and kind is AnswerType.YES_NO,
            )
        )
    return findings


def build_pack(data: DDXPlus, patients: Sequence[DDXPatient], alpha: float = 1.0) -> PackFiles:
    """A pack whose figures are learned from ``patients`` (e.g. the training folds)."""
    doc = YamlDoc(Path("<ddxplus>"), None)
    names = sorted(data.conditions)
    complaints = {p.initial for p in patients}
    findings = _findings(data, complaints)
    by_condition: dict[str, list[DDXPatient]] = defaultdict(list)
    for p in patients:
        by_condition[p.diagnosis].append(p)
    n_total = len(patients)

    # Age band and sex marginals, for the prior multipliers.
    band_all = Counter(age_band_index(p.age) for p in patients)
    sex_all = Counter(p.sex for p in patients)
    conditions: list[Condition] = []
    for cname in names:
        info = data.conditions[cname]
        group = by_condition.get(cname, [])
        n = len(group)
        links: dict[str, FindingLink] = {}
        for ev_name, ev in data.evidences.items():
            kind = _kind(ev)
            parent = _parent_name(data, ev_name)
            # Children are learned among patients whose parent question was present.
            pool = group if parent is None else [p for p in group if p.evidence.get(parent)]
            m = len(pool)
            fid = finding_id(ev_name)
            if kind is AnswerType.YES_NO:
                k = sum(1 for p in pool if p.evidence.get(ev_name))
                links[fid] = FindingLink(p=(k + alpha) / (m + 2 * alpha), source=SOURCE_ID)
                continue
            values = _values(ev)
            counts: Counter[str] = Counter()
            for p in pool:
                rec = p.evidence.get(ev_name)
                for v in rec if isinstance(rec, list) else [str(ev["default_value"])]:
                    counts[v] += 1
            if kind is AnswerType.ONE_CHOICE:
                total = m + alpha * len(values)
                opts = {option_id(v): (counts[v] + alpha) / total for v in values}
            else:
                opts = {option_id(v): (counts[v] + alpha) / (m + 2 * alpha) for v in values}
            links[fid] = FindingLink(options=opts, source=SOURCE_ID)

        # Prior: class frequency with age-band and sex multipliers (each smoothed).
        bands = Counter(age_band_index(p.age) for p in group)
        sexes = Counter(p.sex for p in group)
        age_mult = {
            AGE_BANDS[b]: round(
                ((bands[b] + alpha) / (n + alpha * len(AGE_BANDS)))
                / ((band_all[b] + alpha) / (n_total + alpha * len(AGE_BANDS))),
                4,
            )
            for b in range(len(AGE_BANDS))
        }
        sex_mult = {
            s: round(((sexes[s] + alpha) / (n + 2 * alpha)) / ((sex_all[s] + alpha) / (n_total + 2 * alpha)), 4)
            for s in ("female", "male")
        }
        severity = int(str(info["severity"]))
        care = _CARE[severity]
        must = severity == 1
        if must:
            links = _mark_red_flags(links, findings, patients, cname)
        code = str(info["icd10-id"]).split(",")[0].strip().upper()
        conditions.append(
            Condition(
                id=condition_id(cname),
                name=str(info["cond-name-eng"]),
                clinical_name=str(info["cond-name-eng"]),
                icd10=code,
                care=care,
                must_not_miss=must,
                prior=Prior(
                    value=(n + alpha) / (n_total + alpha * len(names)),
                    age=age_mult,
                    sex=sex_mult,
                    modifiers=Provenance(source=SOURCE_ID),
                    source=SOURCE_ID,
                ),
                findings=links,
            )
        )
    pack = Pack(
        name="DDXPlus (learned)",
        version="1",
        license="CC-BY-4.0",
        description="Conditions and evidences of DDXPlus with figures learned from its patients.",
        attribution=["DDXPlus, Fansi Tchango et al. 2022, CC BY 4.0"],
        leak=0.01,
    )
    return PackFiles(
        root=Path("<ddxplus>"),
        pack=Located(pack, doc, ()),
        sources=[Located(_SOURCE, doc, ())],
        findings=[Located(f, doc, ()) for f in findings],
        conditions=[Located(c, doc, ()) for c in conditions],
    )


def _mark_red_flags(
    links: dict[str, FindingLink], findings: Iterable[Finding], patients: Sequence[DDXPatient], cname: str
) -> dict[str, FindingLink]:
    """Mark the three yes/no evidences most specific to ``cname`` (likelihood ratio, common in it) as red flags."""
    others = [p for p in patients if p.diagnosis != cname]
    scores = []
    for f in findings:
        link = links[f.id]
        if f.type is not AnswerType.YES_NO or f.parent is not None or link.p is None or link.p < 0.5:
            continue
        name = f.id.upper()
        rate = (sum(1 for p in others if p.evidence.get(name)) + 1) / (len(others) + 2)
        scores.append((link.p / rate, f.id))
    for _, fid in sorted(scores, reverse=True)[:3]:
        links[fid] = links[fid].model_copy(update={"red_flag": True})
    if not scores:  # fall back to the most common evidence, so the safety rule has something to ask
        fid = max((f.id for f in findings if links[f.id].p is not None), key=lambda i: links[i].p or 0.0)
        links[fid] = links[fid].model_copy(update={"red_flag": True})
    return links


def write_pack(files: PackFiles, out: Path) -> None:
    """Write ``files`` as a knowledge pack directory (pack.yaml, sources, findings, conditions)."""
    (out / "findings").mkdir(parents=True, exist_ok=True)
    (out / "conditions").mkdir(parents=True, exist_ok=True)

    def dump(path: Path, data: object) -> None:
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120), encoding="utf-8")

    assert files.pack is not None
    dump(out / "pack.yaml", files.pack.model.model_dump(mode="json", exclude_defaults=True))
    dump(out / "sources.yaml", [s.model.model_dump(mode="json", exclude_none=True) for s in files.sources])
    dump(
        out / "findings" / "ddxplus.yaml",
        [f.model.model_dump(mode="json", exclude_defaults=True) for f in files.findings],
    )
    for c in files.conditions:
        data = c.model.model_dump(mode="json", exclude_defaults=True)
        for link in data["findings"].values():
            if "p" in link:
                link["p"] = round(link["p"], 5)
            if "options" in link:
                link["options"] = {k: round(v, 5) for k, v in link["options"].items()}
        data["prior"]["value"] = round(data["prior"]["value"], 6)
        dump(out / "conditions" / f"{c.model.id}.yaml", data)
