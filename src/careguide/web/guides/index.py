"""The A-Z index of condition guides: conditions by first letter, and a search by the names a condition goes
by (its everyday name, its medical name and its guide's title), tolerant of a typo."""

from __future__ import annotations

import string
import unicodedata
from dataclasses import dataclass

from rapidfuzz.fuzz import ratio

from careguide.kb import Condition, Knowledge
from careguide.text.search import tokens

__all__ = ["LETTERS", "MAX_RESULTS", "Hit", "by_letter", "letter_of", "names", "search"]

LETTERS: tuple[str, ...] = (*string.ascii_uppercase, "#")  # "#": names starting with a digit or a sign
MAX_RESULTS = 100  # a search that matches more than this is too broad to read: ask for more words


def _fold(text: str) -> str:
    """Lower case without accents, so 'Ménière' sorts and matches as 'meniere'."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def letter_of(name: str) -> str:
    first = _fold(name.strip())[:1].upper()
    return first if first in string.ascii_uppercase else "#"


def by_letter(knowledge: Knowledge) -> dict[str, list[Condition]]:
    """Every letter of LETTERS (empty ones too) with its conditions in alphabetical order."""
    groups: dict[str, list[Condition]] = {letter: [] for letter in LETTERS}
    for c in sorted(knowledge.conditions, key=lambda c: _fold(c.name)):
        groups[letter_of(c.name)].append(c)
    return groups


def names(knowledge: Knowledge, condition: Condition) -> list[str]:
    """The names a condition goes by, its everyday name first, without repeats."""
    out = [condition.name, condition.clinical_name]
    article = knowledge.articles.get(condition.id)
    if article is not None:
        out.append(article.meta.title)
    unique: dict[str, str] = {}
    for n in out:
        unique.setdefault(_fold(n), n)
    return list(unique.values())


@dataclass(frozen=True)
class Hit:
    condition: Condition
    also: str | None  # another name of the condition that the search matched, shown beside its name
    score: float


@dataclass(frozen=True)
class _Entry:
    condition: Condition
    labels: list[str]  # names(), everyday name first
    vocabs: list[frozenset[str]]  # each label's words
    words: frozenset[str]  # all of them
    phrases: list[str]  # each label's words joined, to match the query as a phrase


_cache: list[tuple[Knowledge, list[_Entry]]] = []  # the last knowledge indexed (kept, so `is` is safe)


def _entries(knowledge: Knowledge) -> list[_Entry]:
    if _cache and _cache[0][0] is knowledge:
        return _cache[0][1]
    entries = []
    for condition in knowledge.conditions:
        labels = names(knowledge, condition)
        vocabs = [frozenset(tokens(_fold(label))) for label in labels]
        phrases = [" ".join(tokens(_fold(label))) for label in labels]
        entries.append(_Entry(condition, labels, vocabs, frozenset().union(*vocabs), phrases))
    _cache[:] = [(knowledge, entries)]
    return entries


def _word_score(word: str, vocab: frozenset[str], fuzzy: bool) -> float:
    """How well one typed word matches a name's words: whole word (or its singular), start of a word, or,
    when ``fuzzy``, a near spelling."""
    if word in vocab or (len(word) > 3 and word.endswith("s") and word[:-1] in vocab):
        return 1.0
    if any(v.startswith(word) for v in vocab):
        return 0.9
    if fuzzy and len(word) >= 4:
        best = max((ratio(word, v) for v in vocab if abs(len(v) - len(word)) <= 2), default=0.0)
        if best >= 80:
            return 0.7 * best / 100
    return 0.0


def _matches(entries: list[_Entry], words: list[str], fuzzy: bool) -> list[Hit]:
    phrase = " ".join(words)
    hits: list[Hit] = []
    for e in entries:
        scores = [_word_score(w, e.words, fuzzy) for w in words]
        if not all(scores):
            continue
        score = sum(scores) / len(scores)
        if e.phrases[0].startswith(phrase):
            score += 2.0
        elif any(p.startswith(phrase) or f" {phrase}" in p for p in e.phrases):
            score += 1.0
        # Show another name when it, not the everyday name, is what matched a word.
        own = e.vocabs[0]
        folded_name = _fold(e.condition.name)
        also = next(
            (
                label
                for label, vocab in zip(e.labels[1:], e.vocabs[1:], strict=True)
                if any(_word_score(w, own, fuzzy) < _word_score(w, vocab, fuzzy) for w in words)
                and _fold(label) not in folded_name
            ),
            None,
        )
        hits.append(Hit(e.condition, also, score))
    hits.sort(key=lambda h: (-h.score, _fold(h.condition.name)))
    return hits


def search(knowledge: Knowledge, query: str) -> list[Hit]:
    """Conditions whose names match every word of ``query`` (whole words or their starts), best first: a
    name that starts with the words first, then by how closely they match, then alphabetically. Only if
    nothing matches are near spellings tried, so a typo still finds its condition without a correct word
    pulling in look-alikes ('infarction' is not 'infection')."""
    words = tokens(_fold(query))
    if not words:
        return []
    entries = _entries(knowledge)
    return _matches(entries, words, fuzzy=False) or _matches(entries, words, fuzzy=True)
