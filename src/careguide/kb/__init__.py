"""The knowledge base: file format (schema), loading, validation and compilation."""

from __future__ import annotations

import os
from pathlib import Path

from careguide.kb.compile import Knowledge, compile_pack
from careguide.kb.loader import PackFiles, read_pack
from careguide.kb.problems import KnowledgeError, Problem
from careguide.kb.schema import AGE_BANDS, AnswerType, CareLevel, Condition, Finding, RedFlagRule, Treatment
from careguide.kb.validate import check, check_files

__all__ = [
    "AGE_BANDS",
    "AnswerType",
    "CareLevel",
    "Condition",
    "Finding",
    "Knowledge",
    "KnowledgeError",
    "PackFiles",
    "Problem",
    "RedFlagRule",
    "Treatment",
    "back_pain_path",
    "check",
    "check_files",
    "compile_pack",
    "default_path",
    "load",
    "read_pack",
]


def default_path() -> Path:
    """The shipped knowledge: ``$CAREGUIDE_KB`` if set, else the general pack (every complaint, all ages) in
    the wheel or the source tree."""
    env = os.environ.get("CAREGUIDE_KB")
    if env:
        return Path(env)
    packaged = Path(__file__).resolve().parent.parent / "_general"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "packs" / "general"


def back_pain_path() -> Path:
    """The back-pain pack (adults, back pain and its causes): the base the general pack is built on."""
    packaged = Path(__file__).resolve().parent.parent / "_knowledge"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "knowledge"


def load(path: Path | str | None = None) -> Knowledge:
    """Validate and compile the pack at ``path`` (default: the shipped one).

    Raises KnowledgeError listing every problem if the pack is invalid, so nothing starts on bad knowledge.
    """
    root = Path(path) if path is not None else default_path()
    files, problems = read_pack(root)
    problems.extend(check_files(files))
    if problems:
        raise KnowledgeError(sorted(set(problems)))
    return compile_pack(files)
