"""`careguide eval symcat-subsets`: the SymCAT benchmark subsets of the automatic-diagnosis literature.

Each subset (200 / 300 / 400 diseases, and "common") gives, per disease, its symptoms with their
prevalence and the disease's age and sex distribution (SymCat, derived from CDC NAMCS). A pack is built
from it directly: one yes/no finding per symptom, P(symptom | disease) = prevalence, a small leak for
unlisted symptoms, equal disease priors shaped by the age and sex distributions.

Protocol (as in the literature): a simulated patient has a disease drawn uniformly, an age band and sex
from that disease's distributions, and each listed symptom with its prevalence (at least one); one of
its symptoms is given as the initial complaint; the engine asks up to the turn budget, each question
answered from the sampled symptoms; top-1 and top-5 accuracy and the mean number of turns are reported.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from careguide.engine import Case, Config, step
from careguide.kb.compile import Knowledge, compile_pack
from careguide.kb.loader import Located, PackFiles
from careguide.kb.schema import AGE_BANDS, CareLevel, Condition, Finding, FindingLink, Pack, Prior, Provenance, Source
from careguide.kb.yamlfile import YamlDoc

__all__ = ["Disease", "SubsetResult", "evaluate_subset", "load_subset_pack"]

_LEAK = 0.001
_SOURCE = Source(
    id="symcat",
    citation="SymCat symptom and condition statistics, derived from the US CDC National Ambulatory Medical Care "
    "Survey; "
    "SymCAT benchmark subsets as used in the automatic-diagnosis literature.",
    url="https://www.cdc.gov/nchs/ahcd/index.htm",
)


def _slug(name: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return s if s[:1].isalpha() else f"x_{s}"


@dataclass(frozen=True)
class Disease:
    symptoms: list[str]
    prevalence: list[float]
    age_p: np.ndarray  # over AGE_BANDS
    sex_p: np.ndarray  # male, female


@dataclass(frozen=True)
class SubsetResult:
    subset: str
    diseases: int
    symptoms: int
    patients: int
    budget: int
    top1: float
    top5: float
    mean_turns: float

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def load_subset_pack(path: Path) -> tuple[Knowledge, dict[str, Disease]]:
    """Compile a benchmark pack from one subset file; also return its diseases."""
    raw = json.loads(path.read_text(encoding="utf-8"))["diseases"]
    diseases = {
        name: Disease(
            [str(x) for x in d["symptom"]],
            [float(x) for x in d["prevalence"]],
            np.asarray(d["age_p"], dtype=float),
            np.asarray(d["gender_p"], dtype=float),
        )
        for name, d in raw.items()
    }
    symptoms = sorted({s for d in diseases.values() for s in d.symptoms})
    doc = YamlDoc(path, None)
    findings = [Finding(id=_slug(s), name=s, question=f"{s}?", complaint=True, leak=_LEAK) for s in symptoms]
    mean_age = np.mean([d.age_p for d in diseases.values()], axis=0)
    mean_sex = np.mean([d.sex_p for d in diseases.values()], axis=0)
    conditions = []
    for name, d in sorted(diseases.items()):
        age_p, sex_p = d.age_p, d.sex_p
        links = {
            _slug(sym): FindingLink(p=min(max(p, 0.001), 0.999), source="symcat")
            for sym, p in zip(d.symptoms, d.prevalence, strict=True)
        }
        conditions.append(
            Condition(
                id=_slug(name),
                name=name,
                clinical_name=name,
                icd10="R69",
                care=CareLevel.ROUTINE,
                prior=Prior(
                    value=1 / len(diseases),
                    age={
                        band: float(a / m) if m > 0 else 0.0
                        for band, a, m in zip(AGE_BANDS, age_p, mean_age, strict=True)
                    },
                    sex={"male": float(sex_p[0] / mean_sex[0]), "female": float(sex_p[1] / mean_sex[1])},
                    modifiers=Provenance(source="symcat"),
                    source="symcat",
                ),
                findings=links,
            )
        )
    files = PackFiles(
        root=path,
        pack=Located(
            Pack(
                name=f"SymCAT {path.stem}", version="1", license="public domain figures", description="Benchmark pack."
            ),
            doc,
            (),
        ),
        sources=[Located(_SOURCE, doc, ())],
        findings=[Located(f, doc, ()) for f in findings],
        conditions=[Located(c, doc, ()) for c in conditions],
    )
    return compile_pack(files), diseases


def evaluate_subset(path: Path, patients: int = 1000, budget: int = 20, seed: int = 0) -> SubsetResult:
    knowledge, diseases = load_subset_pack(path)
    rng = np.random.default_rng(seed)
    names = sorted(diseases)
    config = Config.for_knowledge(knowledge, budget=budget, safety_threshold=0.99)
    top1 = top5 = 0
    turns = []
    for _ in range(patients):
        name = names[int(rng.integers(len(names)))]
        d = diseases[name]
        band = int(rng.choice(len(AGE_BANDS), p=d.age_p / d.age_p.sum()))
        sex = "male" if rng.random() < d.sex_p[0] / d.sex_p.sum() else "female"
        age = (0, 2, 10, 22, 37, 52, 67, 80)[band]
        while True:
            present = {_slug(sym) for sym, p in zip(d.symptoms, d.prevalence, strict=True) if rng.random() < p}
            if present:
                break
        initial = sorted(present)[int(rng.integers(len(present)))]
        case = Case(age, sex, (), initial)
        while True:
            result = step(knowledge, case, config)
            if result.should_stop or result.question is None:
                break
            fid = result.question.id
            case = case.answered(fid, "present" if fid in present else "absent")
        ids = [rc.condition.id for rc in result.conditions]
        truth = _slug(name)
        top1 += ids[:1] == [truth]
        top5 += truth in ids[:5]
        turns.append(len(case.evidence))
    return SubsetResult(
        subset=path.stem,
        diseases=len(diseases),
        symptoms=knowledge.n_findings,
        patients=patients,
        budget=budget,
        top1=top1 / patients,
        top5=top5 / patients,
        mean_turns=float(np.mean(turns)),
    )
