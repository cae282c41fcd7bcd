"""`careguide eval ddxplus`: k-fold cross-validation on the DDXPlus patients, in the paper's metrics.

For each fold a pack is learned from the other folds only (the likelihood exponent chosen on an inner
validation split of them), then every held-out patient is interviewed: the initial evidence is given,
the engine asks up to 30 questions, each answered from the patient's record.

Metrics (Fansi Tchango et al. 2022):
- IL: interaction length, mean number of questions asked (the initial evidence not counted);
- GTPA@k: the true pathology is among the k most probable at the end;
- GTPA: the true pathology is in the predicted differential (pathologies with probability >= 1%);
- DDR / DDP / DDF1: recall / precision / F1 of the predicted differential against the patient's own
  differential (its pathologies);
- PER / PEP: of the patient's positive evidences (other than the initial one), the share that were asked
  / of the evidences asked, the share that were positive;
- the full-evidence ceiling: GTPA@1 and GTPA@5 when every answer in the record is given at once;
- calibration: expected calibration error (ECE, 10 bins) of the top-1 probability, with its reliability curve.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from careguide.engine import Case, Config, Step, observe, posterior, step
from careguide.importers.ddxplus import DDXPatient, DDXPlus, build_pack, condition_id, finding_id, patient_answers
from careguide.kb.compile import Knowledge, compile_pack

__all__ = ["DDXPlusReport", "evaluate", "write_report"]

DIFFERENTIAL_THRESHOLD = 0.01
ALPHAS = (0.2, 0.35, 0.5, 0.7, 1.0)
_PUBLISHED = (
    "AARLC (Yuan et al. 2021) as reported on DDXPlus: GTPA@1 75.4% after 25.8 questions on average, 30-question cap, "
    "trained on about 1.0 million synthetic patients and tested on the full 134,529-patient test set."
)


@dataclass
class _PatientOutcome:
    truth: str
    questions: int
    top: list[str]
    probabilities: dict[str, float]
    inquired: set[str]
    positives: set[str]
    differential: set[str]
    curve: list[bool]  # top-1 correct after 0, 1, 2, ... questions
    full_top: list[str]


@dataclass
class DDXPlusReport:
    patients: int
    folds: int
    budget: int
    metrics: dict[str, float]
    full_evidence: dict[str, float]
    calibration: dict[str, object]
    accuracy_by_questions: list[float]
    likelihood_exponents: list[float]
    per_condition_top1: dict[str, float] = field(default_factory=dict)
    note: str = (
        "Computed on the 2,611-patient English subset of the DDXPlus test set available here, with 5-fold "
        "cross-validation (each fold's pack learned from the other folds only). These figures are NOT directly "
        "comparable with the papers', which train on the full 1.0 million-patient training set and test on the "
        "full test set."
    )
    published: str = _PUBLISHED


def _folds(patients: Sequence[DDXPatient], k: int, seed: int) -> list[int]:
    """Fold of each patient, stratified by diagnosis."""
    rng = np.random.default_rng(seed)
    fold = [0] * len(patients)
    by_diag: dict[str, list[int]] = {}
    for i, p in enumerate(patients):
        by_diag.setdefault(p.diagnosis, []).append(i)
    offset = 0
    for idxs in by_diag.values():
        order = rng.permutation(idxs)
        for j, i in enumerate(order):
            fold[int(i)] = (j + offset) % k
        offset += len(idxs)
    return fold


def _full_case(data: DDXPlus, p: DDXPatient) -> Case:
    answers = patient_answers(data, p)
    initial = finding_id(p.initial)
    return Case(p.age, p.sex, tuple((f, a) for f, a in answers.items() if f != initial), initial)


def _choose_alpha(data: DDXPlus, train: Sequence[DDXPatient], seed: int) -> float:
    """The likelihood exponent that maximises the held-out log probability of the true pathology."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(train))
    cut = int(len(train) * 0.8)
    inner = [train[int(i)] for i in order[:cut]]
    val = [train[int(i)] for i in order[cut:]]
    k = compile_pack(build_pack(data, inner))
    obs = [observe(k, _full_case(data, p)) for p in val]
    truth = [k.condition_index[condition_id(p.diagnosis)] for p in val]
    best = (-math.inf, 1.0)
    for alpha in ALPHAS:
        ll = float(np.mean([math.log(max(posterior(k, o, alpha)[t], 1e-12)) for o, t in zip(obs, truth, strict=True)]))
        best = max(best, (ll, alpha))
    return best[1]


def _interview(data: DDXPlus, k: Knowledge, p: DDXPatient, config: Config) -> _PatientOutcome:
    answers = patient_answers(data, p)
    initial = finding_id(p.initial)
    truth = condition_id(p.diagnosis)
    case = Case(p.age, p.sex, (), initial)
    curve: list[bool] = []
    result: Step
    while True:
        result = step(k, case, config)
        curve.append(bool(result.conditions) and result.conditions[0].condition.id == truth)
        if result.should_stop or result.question is None:
            break
        fid = result.question.id
        case = case.answered(fid, answers.get(fid, "unknown"))
    probs = posterior(k, observe(k, case), config.likelihood_exponent)
    order = np.argsort(-probs, kind="stable")
    full = posterior(k, observe(k, _full_case(data, p)), config.likelihood_exponent)
    inquired = {f for f, _ in case.evidence}
    positives = {f for f, a in answers.items() if f != initial and a not in ("absent", []) and _is_positive(data, f, a)}
    return _PatientOutcome(
        truth=truth,
        questions=len(case.evidence),
        top=[k.conditions[i].id for i in order[:5]],
        probabilities={k.conditions[i].id: float(probs[i]) for i in range(len(probs))},
        inquired=inquired,
        positives=positives,
        differential={condition_id(n) for n, _ in p.differential},
        curve=curve,
        full_top=[k.conditions[i].id for i in np.argsort(-full, kind="stable")[:5]],
    )


def _is_positive(data: DDXPlus, fid: str, answer: object) -> bool:
    """Binary evidences present, and categorical ones whose value is not the default ("nowhere", 0...)."""
    ev = data.evidences[fid.upper()]
    if ev["data_type"] == "B":
        return answer == "present"
    default = str(ev["default_value"]).lower()
    values = answer if isinstance(answer, list) else [answer]
    return any(str(v) not in (default, f"v{default}") for v in values)


def _ece(conf: np.ndarray, correct: np.ndarray, bins: int = 10) -> tuple[float, list[dict[str, float]]]:
    edges = np.linspace(0, 1, bins + 1)
    ece = 0.0
    curve = []
    for lo, hi in itertools.pairwise(edges):
        mask = (conf > lo) & (conf <= hi) if lo > 0 else (conf >= lo) & (conf <= hi)
        if mask.any():
            gap = abs(float(conf[mask].mean()) - float(correct[mask].mean()))
            ece += mask.mean() * gap
            curve.append(
                {
                    "bin_low": float(lo),
                    "bin_high": float(hi),
                    "confidence": float(conf[mask].mean()),
                    "accuracy": float(correct[mask].mean()),
                    "count": int(mask.sum()),
                }
            )
    return float(ece), curve


def evaluate(
    data: DDXPlus,
    folds: int = 5,
    budget: int = 30,
    seed: int = 0,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DDXPlusReport:
    """Cross-validated interview metrics; ``limit`` evaluates only that many held-out patients per fold."""
    patients = data.patients
    fold_of = _folds(patients, folds, seed)
    outcomes: list[_PatientOutcome] = []
    alphas = []
    done, total = 0, (min(limit, len(patients)) * folds if limit else len(patients))
    for f in range(folds):
        train = [p for p, g in zip(patients, fold_of, strict=True) if g != f]
        test = [p for p, g in zip(patients, fold_of, strict=True) if g == f][: limit or None]
        alpha = _choose_alpha(data, train, seed + f)
        alphas.append(alpha)
        k = compile_pack(build_pack(data, train))
        config = Config.for_knowledge(k, budget=budget, likelihood_exponent=alpha)
        for p in test:
            outcomes.append(_interview(data, k, p, config))
            done += 1
            if progress is not None:
                progress(done, total)
    return _summarise(outcomes, folds, budget, alphas)


def _summarise(outcomes: list[_PatientOutcome], folds: int, budget: int, alphas: list[float]) -> DDXPlusReport:
    n = len(outcomes)
    top = [o.top for o in outcomes]
    truth = [o.truth for o in outcomes]

    def at(k: int, tops: list[list[str]]) -> float:
        return float(np.mean([t in tt[:k] for t, tt in zip(truth, tops, strict=True)]))

    pred_diff = [{c for c, p in o.probabilities.items() if p >= DIFFERENTIAL_THRESHOLD} for o in outcomes]
    ddr = [
        len(pd & o.differential) / len(o.differential) if o.differential else 0.0
        for pd, o in zip(pred_diff, outcomes, strict=True)
    ]
    ddp = [len(pd & o.differential) / len(pd) if pd else 0.0 for pd, o in zip(pred_diff, outcomes, strict=True)]
    ddr_m, ddp_m = float(np.mean(ddr)), float(np.mean(ddp))
    per = [len(o.inquired & o.positives) / len(o.positives) if o.positives else 1.0 for o in outcomes]
    pep = [len(o.inquired & o.positives) / len(o.inquired) if o.inquired else 0.0 for o in outcomes]
    conf = np.array([o.probabilities[o.top[0]] for o in outcomes])
    correct = np.array([o.top[0] == o.truth for o in outcomes], dtype=float)
    ece, curve = _ece(conf, correct)
    longest = budget + 1
    by_q = [float(np.mean([o.curve[min(q, len(o.curve) - 1)] for o in outcomes])) for q in range(longest)]
    per_condition: dict[str, list[bool]] = {}
    for o in outcomes:
        per_condition.setdefault(o.truth, []).append(o.top[0] == o.truth)
    return DDXPlusReport(
        patients=n,
        folds=folds,
        budget=budget,
        metrics={
            "IL": float(np.mean([o.questions for o in outcomes])),
            "GTPA": float(np.mean([t in pd for t, pd in zip(truth, pred_diff, strict=True)])),
            "GTPA@1": at(1, top),
            "GTPA@3": at(3, top),
            "GTPA@5": at(5, top),
            "DDR": ddr_m,
            "DDP": ddp_m,
            "DDF1": 2 * ddr_m * ddp_m / (ddr_m + ddp_m) if ddr_m + ddp_m else 0.0,
            "PER": float(np.mean(per)),
            "PEP": float(np.mean(pep)),
        },
        full_evidence={
            "GTPA@1": at(1, [o.full_top for o in outcomes]),
            "GTPA@5": at(5, [o.full_top for o in outcomes]),
        },
        calibration={"ECE": ece, "mean_top1_probability": float(conf.mean()), "reliability": curve},
        accuracy_by_questions=by_q,
        likelihood_exponents=alphas,
        per_condition_top1={c: float(np.mean(v)) for c, v in sorted(per_condition.items())},
    )


def write_report(report: DDXPlusReport, out: Path) -> list[Path]:
    """JSON and Markdown reports and two PNG plots in ``out``; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [
        out / "ddxplus_report.json",
        out / "ddxplus_report.md",
        out / "ddxplus_accuracy.png",
        out / "ddxplus_reliability.png",
    ]
    paths[0].write_text(json.dumps(asdict(report), indent=2), encoding="utf-8")
    m = report.metrics
    lines = [
        "# CareGuide on DDXPlus",
        "",
        f"> {report.note}",
        "",
        f"{report.patients} patients, {report.folds}-fold cross-validation, question budget {report.budget}, "
        f"likelihood exponent per fold {', '.join(f'{a:g}' for a in report.likelihood_exponents)}.",
        "",
        "| metric | value |",
        "|---|---|",
        *(
            f"| {name} | {value:.3f} |" if name != "IL" else f"| IL (questions) | {value:.1f} |"
            for name, value in m.items()
        ),
        f"| full-evidence GTPA@1 (ceiling) | {report.full_evidence['GTPA@1']:.3f} |",
        f"| full-evidence GTPA@5 | {report.full_evidence['GTPA@5']:.3f} |",
        f"| ECE of the top-1 probability | {report.calibration['ECE']:.3f} |",
        "",
        f"Published anchor, for orientation only: {report.published}",
        "",
        "Reproduce: `careguide eval ddxplus ../shared/data/ddxplus --output reports/ddxplus`.",
    ]
    paths[1].write_text("\n".join(lines) + "\n", encoding="utf-8")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(range(len(report.accuracy_by_questions)), report.accuracy_by_questions, marker=".")
    ax.set_xlabel("questions asked")
    ax.set_ylabel("top-1 accuracy (GTPA@1)")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax.set_title("CareGuide on the DDXPlus subset (5-fold CV)")
    fig.tight_layout()
    fig.savefig(paths[2], dpi=120)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    rel = report.calibration["reliability"]
    assert isinstance(rel, list)
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey")
    ax.plot([b["confidence"] for b in rel], [b["accuracy"] for b in rel], marker="o")
    ax.set_xlabel("top-1 probability")
    ax.set_ylabel("observed accuracy")
    ax.set_title(f"Reliability (ECE {report.calibration['ECE']:.3f})")
    fig.tight_layout()
    fig.savefig(paths[3], dpi=120)
    plt.close(fig)
    return paths
