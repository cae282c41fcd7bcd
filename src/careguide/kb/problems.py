"""Problems found in a knowledge pack, reported as ``path:line: message``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["KnowledgeError", "Problem"]


@dataclass(frozen=True, order=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge pack is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        shown = "\n".join(str(p) for p in self.problems[:20])
        more = f"\n... and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(f"invalid knowledge pack ({len(self.problems)} problem(s)):\n{shown}{more}")
