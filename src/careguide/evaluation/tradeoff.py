"""`careguide eval triage-tradeoff`: under-triage against over-triage as the cost of under-triage changes.

The care level is the one with the least expected harm (careguide.engine.triage.least_harm): each level a person
is sent below the level they need costs that level's under-triage cost, each level above costs 1. Scaling the
costs trades under-triage for over-triage. For each vignette the interview is run once at the pack's costs; the
final posterior's level masses and the fired rules' floor are kept, and the level is re-decided for every point
of a grid of costs. (Re-deciding on the final posterior ignores that costs also steer when the interview stops,
a small effect; the chosen point is checked with a full run.)
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from careguide.engine import Config
from careguide.engine.triage import least_harm
from careguide.evaluation.vignettes import Vignette, run_vignette
from careguide.kb.compile import Knowledge
from careguide.kb.schema import CareLevel

__all__ = ["TradeoffPoint", "plot_tradeoff", "tradeoff"]


@dataclass(frozen=True)
class TradeoffPoint:
    costs: tuple[float, float, float]  # under-triage costs for emergency, urgent, routine
    exact: float
    under: int
    over: int
    emergencies_under: int
    safe: float


def tradeoff(
    knowledge: Knowledge,
    vignettes: Sequence[Vignette],
    emergency: Sequence[float] = (5, 9, 14, 19, 29, 39),
    urgent: Sequence[float] = (2, 3, 4, 5.67, 8, 12),
    routine: Sequence[float] = (0.8, 1.2, 1.86, 3),
    config: Config | None = None,
) -> list[TradeoffPoint]:
    """Triage figures for every combination of under-triage costs."""
    config = config or Config.for_knowledge(knowledge)
    rows = []
    for v in vignettes:
        if v.expected is None or v.expected.care is None or isinstance(v.expected.care, list):
            continue
        result = run_vignette(knowledge, v, config)
        floor = max((r.level.rank for r in result.step.care.red_flags), default=0)
        rows.append((result.masses, floor, v.expected.care.rank))
    points = []
    for e, u, r in itertools.product(emergency, urgent, routine):
        costs = {CareLevel.EMERGENCY: float(e), CareLevel.URGENT: float(u), CareLevel.ROUTINE: float(r)}
        exact = under = over = missed = 0
        for masses, floor, wanted in rows:
            got = least_harm(np.asarray(masses), costs, floor)
            exact += got == wanted
            under += got < wanted
            over += got > wanted
            missed += wanted == CareLevel.EMERGENCY.rank and got < wanted
        n = len(rows) or 1
        points.append(TradeoffPoint((float(e), float(u), float(r)), exact / n, under, over, missed, (n - under) / n))
    return points


def plot_tradeoff(points: Sequence[TradeoffPoint], chosen: tuple[float, float, float], out: Path) -> None:
    """Under-triaged against over-triaged cases, one dot per cost setting; the chosen point marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.scatter([p.over for p in points], [p.under for p in points], s=12, alpha=0.5, label="cost settings")
    mine = [p for p in points if p.costs == chosen]
    if mine:
        ax.scatter([mine[0].over], [mine[0].under], s=80, marker="*", color="crimson", label=f"chosen {chosen}")
    ax.set_xlabel("over-triaged vignettes")
    ax.set_ylabel("under-triaged vignettes")
    ax.set_title("Triage trade-off on the development vignettes")
    ax.legend()
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=120)
    plt.close(fig)
