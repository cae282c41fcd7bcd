"""Finding findings by a person's own words: names, questions and synonyms, tolerant of typos."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.fuzz import ratio

from careguide.kb.compile import Knowledge
from careguide.kb.schema import Finding

__all__ = ["Match", "search", "tokens"]

_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "at",
        "be",
        "been",
        "do",
        "does",
        "feel",
        "feeling",
        "for",
        "got",
        "has",
        "have",
        "i",
        "i'm",
        "im",
        "in",
        "is",
        "it",
        "me",
        "my",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "you",
        "your",
    ]
)


def tokens(text: str) -> list[str]:
    """Lower-case word tokens without stop words."""
    return [t for t in re.findall(r"[a-z0-9']+", text.lower()) if t not in _STOP]


@dataclass(frozen=True)
class Match:
    finding: Finding
    score: float


def _word_score(word: str, vocab: set[str]) -> float:
    if word in vocab:
        return 1.0
    best = 0.0
    for v in vocab:
        if len(word) >= 4 and (v.startswith(word) or word.startswith(v)) and min(len(v), len(word)) >= 4:
            best = max(best, 0.8)
        elif abs(len(v) - len(word)) <= 2 and len(word) >= 4:
            similarity = ratio(word, v) / 100
            if similarity >= 0.8:
                best = max(best, similarity * 0.9)
    return best


def search(knowledge: Knowledge, query: str, limit: int = 8, complaints_only: bool = False) -> list[Match]:
    """Findings matching ``query``, best first. Exact phrase matches on a synonym or name rank highest."""
    words = tokens(query)
    phrase = " ".join(words)
    if not words:
        return []
    out = []
    for f in knowledge.findings:
        if complaints_only and not f.complaint:
            continue
        labels = [f.name, *f.synonyms]
        vocab = {t for label in (*labels, f.question) for t in tokens(label)}
        score = sum(_word_score(w, vocab) for w in words) / len(words)
        if any(" ".join(tokens(label)) == phrase for label in labels):
            score += 1.0
        if score >= 0.5:
            out.append(Match(f, score + (0.05 if f.complaint else 0.0)))
    out.sort(key=lambda m: (-m.score, m.finding.name))
    return out[:limit]
