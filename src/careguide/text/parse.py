"""From a person's own words to findings present and absent.

    parse(knowledge, "my lower back has hurt for weeks, worse at night, no fever, I had breast cancer")

1. Every finding's name and synonyms, and every option's label (when short) and synonyms, are phrases.
   A phrase matches the text when its words appear in order, at most two other words apart, each word
   equal to the text's word, or the same after stripping common endings, or within a small spelling
   distance (for words of five letters or more).
2. A match is negated when a negation word ("no", "not", "without", "denies", "haven't"...) comes before
   it in the same stretch of text: the stretch ends at a full stop, a "but"-like word, or a comma that
   starts a new clause ("..., I had cancer"). A negation word inside the matched phrase itself ("rest
   does not help") belongs to the phrase and does not negate it.
3. An option implies the yes/no findings it hangs from ("lower back" -> back pain); a yes/no child does
   not imply its parent.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TypeVar

from rapidfuzz.fuzz import ratio as _rapid_ratio

from careguide.kb.compile import Knowledge
from careguide.kb.schema import AnswerType, Finding, FindingCategory
from careguide.text.context import About, about, context_of
from careguide.text.quantities import Quantity, about_a_death, not_how_long, quantities, sudden_onsets

__all__ = ["MAX_TEXT_LENGTH", "Mention", "Parsed", "parse", "to_evidence"]

# The longest text the site and the API accept for parsing (a few paragraphs); parse() itself takes any
# length, in time linear in it.
MAX_TEXT_LENGTH = 2000

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[.;!?,\u00bf]")
_QUERY = re.compile(r"(?:(?<=^)|(?<=[\s(,;:/]))\?(?=[a-z])")
_NEGATIONS = frozenset(
    [
        "no",
        "not",
        "never",
        "without",
        "denies",
        "deny",
        "denied",
        "none",
        "nor",
        "neither",
        "nothing",
        "hasn't",
        "haven't",
        "hadn't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "doesn't",
        "don't",
        "didn't",
        "can't",
        "cannot",
        "won't",
        "hasnt",
        "havent",
        "hadnt",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "doesnt",
        "dont",
        "didnt",
        "cant",
        "wont",
    ]
)
_NEGATION_PHRASES = (("free", "of"), ("free", "from"), ("negative", "for"), ("no", "sign", "of"), ("no", "signs", "of"))
_NEGATION_PHRASE_STARTS = frozenset(p[0] for p in _NEGATION_PHRASES)
_PSEUDO = (
    ("not", "sure"),
    ("no", "idea"),
    ("not", "only"),
    ("no", "better"),
    ("don't", "know"),
    ("can't", "stop"),
    ("cant", "stop"),
    ("cannot", "stop"),
    ("couldn't", "stop"),
    ("won't", "stop"),
    # "A cough that won't go", "can't keep fluids down": a problem that persists, not a denial.
    ("won't", "go"),
    ("wont", "go"),
    ("doesn't", "go"),
    ("doesnt", "go"),
    ("not", "going"),
    ("can't", "keep"),
    ("cant", "keep"),
    ("cannot", "keep"),
    ("unable", "to"),
    ("not", "able"),
    # "I can't feel my bottom" reports numbness; it does not deny anything.
    ("can't", "feel"),
    ("cant", "feel"),
    ("cannot", "feel"),
)
_STOPS = frozenset(".;!?")
# Everyday words are words, not typos: "had" is neither "head" nor "hand".
_COMMON_WORDS = frozenset(
    [
        "had",
        "has",
        "was",
        "are",
        "can",
        "did",
        "got",
        "get",
        "let",
        "may",
        "saw",
        "say",
        "see",
        "set",
        "put",
        "ran",
        "run",
        "sat",
        "use",
        "her",
        "him",
        "his",
        "its",
        "our",
        "who",
        "why",
        "how",
        "now",
        "new",
        "old",
        "one",
        "two",
        "off",
        "out",
        "all",
        "any",
        "few",
        "bit",
        "lot",
        "day",
        "way",
        "man",
        "men",
        "son",
        "mum",
        "dad",
        "hot",
        "bad",
        "big",
        "far",
        "car",
        "bus",
        "job",
        "end",
        "ago",
        "yet",
        "too",
        "not",
        "for",
        "and",
        "but",
        "the",
        "you",
        "she",
        "he",
        "past",
        "stopping",
    ]
)
_TERMINATORS = frozenset(["but", "however", "although", "though", "except", "apart", "yet", "whereas", "just", "only"])
# A comma ends a negation's reach when a verb follows it ("no fever, my legs are numb"), not when a list
# of nouns does ("no fever, chills or weight loss").
_VERBS = frozenset(
    [
        "is",
        "are",
        "am",
        "was",
        "were",
        "be",
        "been",
        "feel",
        "feels",
        "felt",
        "have",
        "has",
        "had",
        "got",
        "get",
        "gets",
        "keeps",
        "keep",
        "hurts",
        "hurt",
        "hurting",
        "started",
        "start",
        "starts",
        "came",
        "comes",
        "goes",
        "go",
        "went",
        "can",
        "could",
        "do",
        "does",
        "did",
        "seems",
        "seem",
        "looks",
        "look",
        "makes",
        "made",
    ]
)
_CLAUSE_START = frozenset(
    [
        "i",
        "i'm",
        "im",
        "i've",
        "ive",
        "my",
        "it",
        "it's",
        "its",
        "the",
        "she",
        "he",
        "they",
        "we",
        "and",
        "also",
        "plus",
        "which",
        "that",
        "since",
        "after",
        "before",
        "when",
        "because",
        "he's",
        "she's",
    ]
)
_PRONOUNS = frozenset(
    ["i", "i'm", "im", "i've", "ive", "he", "he's", "she", "she's", "they", "we", "my", "his", "her", "it", "it's"]
)
_FILLER = frozenset(
    [
        "a",
        "an",
        "the",
        "my",
        "your",
        "of",
        "in",
        "on",
        "to",
        "is",
        "are",
        "i",
        "it",
        "its",
        "have",
        "has",
        "had",
        "been",
        "be",
        "am",
        "at",
        "any",
        "some",
        "do",
        "does",
        "did",
    ]
)
_SCOPE = 8
_K = TypeVar("_K")
_GAP = 3


@dataclass(frozen=True)
class Mention:
    ref: str  # "finding" or "finding:option"
    phrase: str
    start: int  # character offsets in the text
    end: int
    negated: bool
    context: str = "current"  # "current", "family", "hypothetical" or "past" (see careguide.text.context)
    words: tuple[int, ...] = ()  # token indexes of the matched words


@dataclass(frozen=True)
class Parsed:
    present: tuple[str, ...]
    absent: tuple[str, ...]
    mentions: tuple[Mention, ...] = field(default=())
    about: About = field(default_factory=lambda: About("self"))


def _stem(word: str) -> str:
    for suffix in ("ing", "ness", "ed", "es", "s", "y"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _ratio(a: str, b: str) -> float:
    """Similarity of two words in [0, 1] (rapidfuzz's normalised indel similarity, a C implementation)."""
    return float(_rapid_ratio(a, b)) / 100


# Words for pain that people use in one another's place: "my leg is painful", "legs aching", "stomach ache".
_PAIN_CLASS = frozenset(["pain", "pains", "painful", "ache", "aches", "aching", "achy", "achey"])


@lru_cache(maxsize=65536)
def _same(a: str, b: str) -> bool:
    a, b = a.replace("'", ""), b.replace("'", "")
    if a == b or _stem(a) == _stem(b) or (a in _PAIN_CLASS and b in _PAIN_CLASS):
        return True
    if a[0] != b[0] or a in _NEGATIONS or b in _NEGATIONS or a in _COMMON_WORDS or b in _COMMON_WORDS:
        return False  # typos seldom change the first letter; "never" is not "fever"
    if a + "s" == b or b + "s" == a:
        return True  # "SVDs", "arms"
    if not (_VOWELS & set(a)) or not (_VOWELS & set(b)):
        return False  # "HRT", "LMP": a note's abbreviation, not a slip for "hurt" or "lump"
    # One letter missing or added ("bak", "feaver", "numbnes"); a changed letter in a short word is
    # too often another word ("wakes" / "waves").
    one_added = max(len(a), len(b)) >= 4 and abs(len(a) - len(b)) == 1
    one_changed = min(len(a), len(b)) >= 7 and len(a) == len(b)
    close = (one_added or one_changed) and _ratio(a, b) >= 0.85
    # Two real words are two words, not a slip ("louse" / "lose", "slipped" / "skipped", "hypertension" /
    # "hypotension"), unless one is the other with an ending ("leg" / "legs") or spelled the other side of
    # the Atlantic ("diarrhea").
    return close and not (a in _english() and b in _english() and not _same_word(a, b))


_VOWELS = frozenset("aeiouy")
# Endings that make another form of the same word: "arms", "ached", "carer", "breathe", "vaginal".
_ENDINGS = ("s", "es", "d", "ed", "r", "er", "e", "l")


def _same_word(a: str, b: str) -> bool:
    """Whether two dictionary words are forms of one word: an ending added, or British and American spelling."""
    short, long = sorted((a, b), key=len)
    if long.startswith(short) and (long[len(short) :] == "s" or (len(short) >= 4 and long[len(short) :] in _ENDINGS)):
        return True
    return _american(a) == _american(b)


def _american(word: str) -> str:
    return word.replace("ae", "e").replace("oe", "e").replace("our", "or").replace("ise", "ize")


@lru_cache(maxsize=1)
def _english() -> frozenset[str]:
    """English words (pyspellchecker's list of about 160,000, from word frequencies in subtitles)."""
    from spellchecker import SpellChecker

    return frozenset(SpellChecker(language="en", distance=1).word_frequency.keys())


def _tokens(text: str) -> list[tuple[str, int, int]]:
    # A dash between words separates clauses ("no sweating - just the ache"); keep offsets unchanged.
    clean = re.sub(r"\s[-\u2013\u2014]\s", " ; ", text.lower().replace("\u2019", "'"))
    # A note's "?appendicitis" (a question mark stuck to the front of a word) is a query, not a sentence end.
    clean = _QUERY.sub("\N{INVERTED QUESTION MARK}", clean)
    return [("query" if m.group(0) == "\u00bf" else m.group(0), m.start(), m.end()) for m in _WORD.finditer(clean)]


def _phrase_words(phrase: str) -> tuple[str, ...]:
    return tuple(w for w, _, _ in _tokens(phrase) if w not in _FILLER and w not in _STOPS and w != ",")


# "Chest pain" is also said "pain in the middle of my chest": a phrase ending in one of these words is also
# matched with that word first, when only place words stand between.
_PAIN_WORDS = frozenset(
    ["pain", "pains", "ache", "aches", "aching", "swelling", "swollen", "numbness", "tingling", "itch", "itching",
     "lump", "stiffness", "tenderness", "discomfort", "tightness", "pressure", "cramps", "cramp", "burning", "rash"]
)  # fmt: skip
_PLACE_WORDS = frozenset(
    ["in", "on", "at", "around", "across", "under", "over", "behind", "of", "my", "the", "his", "her", "their",
     "left", "right", "middle", "centre", "center", "central", "upper", "lower", "top", "bottom", "side", "both",
     "front", "back", "whole", "area", "part", "region", "into", "down", "up", "through", "a", "bit", "tight",
     "sharp", "dull", "bad", "severe", "mild", "heavy", "crushing", "stabbing", "burning", "throbbing", "constant"]
)  # fmt: skip


@lru_cache(maxsize=16)
def _phrases(knowledge: Knowledge) -> tuple[tuple[str, str, tuple[str, ...], bool], ...]:
    """(ref, phrase, words, strict): strict phrases are the reversed "pain ... chest" forms, matched only with
    place words between."""
    out: list[tuple[str, str, tuple[str, ...], bool]] = []

    def add(ref: str, phrase: str, strict: bool = False) -> None:
        words = _phrase_words(phrase)
        if not words:
            return
        # "Pain in chest" is matched only with place words between ("pain started after a chest infection" is not).
        out.append((ref, phrase, words, strict or (2 <= len(words) <= 3 and words[0] in _PAIN_WORDS)))
        if 2 <= len(words) <= 3 and words[-1] in _PAIN_WORDS and words[0] not in _PAIN_WORDS:
            out.append((ref, phrase, (words[-1], *words[:-1]), True))

    for f in knowledge.findings:
        # A choice finding is mentioned through its options; its own name says nothing about the answer.
        own = (f.name, *f.synonyms) if f.type is AnswerType.YES_NO else ()
        for phrase in own:
            add(f.id, phrase)
        for o in f.options:
            # Short labels of two to four words ("Both legs") are phrases too; one word ("Kidney") is too loose.
            labels = [o.label] if 2 <= len(_phrase_words(o.label)) <= 4 else []
            for phrase in (*labels, *o.synonyms):
                # A duration's words are matched without other words between: "about 6 weeks" is not "about a week".
                add(f"{f.id}:{o.id}", phrase, strict=bool(o.days))
    # Longer phrases first (and the written order before the reversed one), so that a longer match is preferred
    # when two overlap for one finding.
    return tuple(sorted(out, key=lambda item: (-len(item[2]), item[3])))


@lru_cache(maxsize=16)
def _phrases_by_first(knowledge: Knowledge) -> dict[str, list[tuple[int, str, str, tuple[str, ...], bool]]]:
    """The phrases grouped by first word, each with its place in the longest-first order."""
    out: dict[str, list[tuple[int, str, str, tuple[str, ...], bool]]] = {}
    for order, (ref, phrase, words, strict) in enumerate(_phrases(knowledge)):
        out.setdefault(words[0], []).append((order, ref, phrase, words, strict))
    return out


@dataclass(frozen=True)
class _FirstWords:
    """The phrases' first words, indexed so that a word of the text is compared only with those it may equal:
    the same word or stem, or (for a spelling mistake) the same first letter and a length one apart at most."""

    exact: dict[str, tuple[str, ...]]
    stems: dict[str, tuple[str, ...]]
    by_letter_length: dict[tuple[str, int], tuple[str, ...]]
    # token -> its matching first words; people's words repeat, so most look-ups are answered from here
    seen: dict[str, list[str]] = field(default_factory=dict)

    def matching(self, token: str) -> list[str]:
        """The first words ``w`` with ``_same(w, token)``."""
        found = self.seen.get(token)
        if found is None:
            if len(self.seen) > 100_000:
                self.seen.clear()
            found = self.seen[token] = self._matching(token)
        return found

    def _matching(self, token: str) -> list[str]:
        t = token.replace("'", "")
        candidates = {*self.exact.get(t, ()), *self.stems.get(_stem(t), ())}
        if t in _PAIN_CLASS:
            candidates.update(w for p in _PAIN_CLASS for w in self.exact.get(p, ()))
        if t:
            for n in (len(t) - 1, len(t), len(t) + 1):
                candidates.update(self.by_letter_length.get((t[0], n), ()))
        return [w for w in candidates if _same(w, token)]


@lru_cache(maxsize=16)
def _first_words(knowledge: Knowledge) -> _FirstWords:
    _english()  # load the word list with the index, not in the middle of a person's first parse
    exact: dict[str, list[str]] = {}
    stems: dict[str, list[str]] = {}
    by_letter_length: dict[tuple[str, int], list[str]] = {}
    for w in sorted({words[0] for _, _, words, _ in _phrases(knowledge)}):
        plain = w.replace("'", "")
        exact.setdefault(plain, []).append(w)
        stems.setdefault(_stem(plain), []).append(w)
        if plain:
            by_letter_length.setdefault((plain[0], len(plain)), []).append(w)

    def frozen(d: dict[_K, list[str]]) -> dict[_K, tuple[str, ...]]:
        return {k: tuple(v) for k, v in d.items()}

    return _FirstWords(frozen(exact), frozen(stems), frozen(by_letter_length))


def _first_positions(knowledge: Knowledge, toks: list[str]) -> dict[str, list[int]]:
    """For each phrase first word that occurs in the text: the token indexes where it matches, in order.
    Each distinct token is compared once with a few candidate words, so this is linear in the text."""
    index = _first_words(knowledge)
    matches: dict[str, list[str]] = {}
    positions: dict[str, list[int]] = {}
    for i, tok in enumerate(toks):
        found = matches.get(tok)
        if found is None:
            found = matches[tok] = index.matching(tok)
        for w in found:
            positions.setdefault(w, []).append(i)
    return positions


def _next(w: str, toks: list[str], pos: int, strict: bool) -> int | None:
    """The index of the next token after ``pos`` matching ``w``, with at most _GAP other words between (filler
    words such as "the" or "my" do not count; with ``strict``, only place words may stand between)."""
    gap = 0
    for j in range(pos + 1, min(pos + 1 + 3 * _GAP, len(toks))):
        t = toks[j]
        if t in _STOPS or t == ",":
            return None
        if _same(w, t):
            return j
        if strict and t not in _PLACE_WORDS:
            return None
        if t not in _FILLER:
            gap += 1
            if gap > _GAP:
                return None
    return None


def _find(words: tuple[str, ...], toks: list[str], starts: list[int], strict: bool = False) -> list[tuple[int, ...]]:
    """The token indexes of each match of ``words`` in ``toks`` (one per word); ``starts`` are the indexes
    where its first word matches."""
    hits = []
    for i in starts:
        pos, ok = i, True
        at = [i]
        for w in words[1:]:
            nxt = _next(w, toks, pos, strict)
            if nxt is None:
                ok = False
                break
            pos = nxt
            at.append(nxt)
        if ok:
            hits.append(tuple(at))
    return hits


def _negated(toks: list[str], first: int, last: int, owned: set[int] = frozenset()) -> bool:  # type: ignore[assignment]
    """Whether a negation governs the match spanning tokens first..last."""
    j = first - 1
    steps = 0
    verb_after = any(w in _VERBS for w in toks[first : last + 1])  # a verb in toks[j + 1 : last + 1]
    while j >= 0 and steps < _SCOPE:
        t = toks[j]
        if t in _STOPS or t in _TERMINATORS or j in owned:
            return False
        if t == "," and (toks[j + 1] in _CLAUSE_START or verb_after):
            return False
        if t in ("and", "or", "so") and j + 1 < len(toks) and toks[j + 1] in _PRONOUNS:
            return False
        if t in _NEGATIONS and not any(toks[j : j + len(p)] == list(p) for p in _PSEUDO):
            return True
        if t in _NEGATION_PHRASE_STARTS and any(toks[j : j + len(p)] == list(p) for p in _NEGATION_PHRASES):
            return True
        verb_after = verb_after or t in _VERBS
        j -= 1
        if t != ",":
            steps += 1
    return False


# One word that denies a finding by itself: "afebrile" is "no fever", "painless" is "no pain". Each is read as the
# finding's word, marked as denied, so that it denies only what it names ("afebrile, vomiting x3": vomiting stays).
_DENYING_WORDS = {"afebrile": "fever", "apyrexial": "fever", "apyrexic": "fever", "painless": "pain"}


def _self_negating(text: str, toks: list[str]) -> tuple[dict[int, str], set[int]]:
    """The denying words (index -> what each denies), and the indexes of words written after "non-" ("non-smoker",
    "non-tender"), which a phrase starting there denies."""
    words = {i: _DENYING_WORDS[t] for i, t in enumerate(toks) if t in _DENYING_WORDS}
    low = text.lower()
    nons = {i + 1 for i, t in enumerate(toks[:-1]) if t == "non" and f"non-{toks[i + 1]}" in low}
    return words, nons


def _denied_words(
    knowledge: Knowledge,
    tokens: list[tuple[str, int, int]],
    toks: list[str],
    words: dict[int, str],
    used: set[int],
    subject: str | None,
) -> list[Mention]:
    """Mentions denied by one word that no phrase of the knowledge uses here: "afebrile" (no fever), "painless
    lump in the breast" (no breast pain)."""
    out: list[Mention] = []
    for i, word in words.items():
        if i in used:
            continue  # "painless gland" is a phrase of its own
        if word == "pain":
            out += _painless_sites(knowledge, tokens, toks, i, subject)
            continue
        context = context_of(toks, i, i, subject)
        _, start, end = tokens[i]
        out += [Mention(r, toks[i], start, end, True, context, (i,)) for r in _findings_of(knowledge, (word,))]
    return out


def _painless_sites(
    knowledge: Knowledge, tokens: list[tuple[str, int, int]], toks: list[str], i: int, subject: str | None
) -> list[Mention]:
    """ "Painless lump in the left breast", "lump in the breast, painless": no breast pain. "Painless" denies the
    pain of the first place named after it in its clause, else of the nearest one before it in its sentence."""
    after: list[int] = []
    for j in range(i + 1, min(i + 7, len(toks))):
        if toks[j] in _STOPS or toks[j] == ",":
            break
        after.append(j)
    before: list[int] = []
    for j in range(i - 1, max(i - 9, -1), -1):
        if toks[j] in _STOPS:
            break
        before.append(j)
    for j in (*after, *before):
        refs = _pain_of(knowledge, toks[j])
        if refs:
            lo, hi = min(i, j), max(i, j)
            context = context_of(toks, lo, hi, subject)
            phrase = f"painless {toks[j]}"
            return [Mention(r, phrase, tokens[lo][1], tokens[hi][2], True, context, (lo, hi)) for r in refs]
    return []


@lru_cache(maxsize=4096)
def _findings_of(knowledge: Knowledge, mini: tuple[str, ...]) -> tuple[str, ...]:
    """The yes/no findings whose phrase is exactly these words ("fever"; "breast", "pain")."""
    starts = _first_positions(knowledge, list(mini))
    refs = []
    for w, positions in starts.items():
        for _, ref, _, words, strict in _phrases_by_first(knowledge).get(w, ()):
            if ":" not in ref and len(words) == len(mini) and _find(words, list(mini), positions, strict):
                refs.append(ref)
    return tuple(dict.fromkeys(refs))


def _pain_of(knowledge: Knowledge, word: str) -> tuple[str, ...]:
    """The yes/no findings that "<word> pain" names ("breast" -> breast pain); none for words that are not places."""
    if word in _FILLER or word in _PLACE_WORDS or len(word) < 3:
        return ()
    return _findings_of(knowledge, (word, "pain"))


# A note's denial after the finding: "UPT neg", "fever: absent", "rash - nil".
_POST_NEGATIONS = frozenset(["absent", "neg", "negative", "nil", "denied", "none", "normal"])


def _negated_after(toks: list[str], last: int) -> bool:
    """Whether a note's denial follows the match ending at token ``last`` ("meningism absent", "UPT neg")."""
    j = last + 1
    while j < len(toks) and toks[j] in ("is", "was", "are", "were"):
        j += 1
    return j < len(toks) and toks[j] in _POST_NEGATIONS


def _negated_inside(toks: list[str], at: tuple[int, ...]) -> bool:
    """Whether a negation stands between the matched words ("my neck isn't stiff", "sight is not blurred")."""
    if len(at) < 2 or at[-1] - at[0] == len(at) - 1:
        return False
    matched = set(at)
    return any(
        toks[j] in _NEGATIONS and not any(toks[j : j + len(p)] == list(p) for p in _PSEUDO)
        for j in range(at[0] + 1, at[-1])
        if j not in matched
    )


def _parents(knowledge: Knowledge, finding: Finding) -> list[str]:
    """Yes/no ancestors of ``finding`` that its presence implies: up the chain while each step implies its
    parent ("pain below the knee" -> leg pain, but leg pain does not mean back pain)."""
    out = []
    current = finding
    while current.parent:
        pid, _, _ = current.parent.partition(":")
        parent = knowledge.finding(pid)
        if parent.type is AnswerType.YES_NO:
            out.append(pid)
        if parent.type is AnswerType.YES_NO and not parent.implies_parent:
            break
        current = parent
    return out


def _drop_contained(knowledge: Knowledge, mentions: list[Mention], denying: Collection[int] = ()) -> list[Mention]:
    """Drop a yes/no finding matched inside a longer phrase of another yes/no finding
    ("saddle numbness" is not also "numbness in the legs"); options are kept ("lower back pain")."""

    # A phrase denied by its first word ("non-productive cough") does not swallow what it contains (the cough).
    plain = sorted(
        (m for m in mentions if ":" not in m.ref and m.words and m.words[0] not in denying), key=lambda m: m.start
    )
    if not plain:
        return mentions
    starts = [m.start for m in plain]
    widest = max(m.end - m.start for m in plain)

    def inside(m: Mention) -> bool:
        # Contained means every matched word of m is a matched word of the longer phrase: a phrase matched
        # with gaps ("sudden ... severe ... pain") does not swallow another phrase in its gaps ("chest pain").
        # Only mentions starting between (m.end - widest) and m.start can contain m: a window, not all of them.
        window = plain[bisect_left(starts, m.end - widest) : bisect_right(starts, m.start)]
        words = set(m.words)
        return any(o.ref != m.ref and words < set(o.words) for o in window)

    return [m for m in mentions if ":" in m.ref or not m.words or not inside(m)]


def parse(knowledge: Knowledge, text: str) -> Parsed:
    """Findings the text says are present and absent, in the order they are first mentioned."""
    tokens = _tokens(text)
    toks = [t for t, _, _ in tokens]
    denying_words, denying = _self_negating(text, toks)
    found: list[tuple[str, str, tuple[int, ...], bool]] = []
    starts = _first_positions(knowledge, toks)
    taken: dict[str, set[int]] = {}  # token indexes already matched, per finding (or option)
    by_first = _phrases_by_first(knowledge)
    candidates = sorted(item for w in starts for item in by_first.get(w, ()))
    for _, ref, phrase, words, strict in candidates:
        positions = starts[words[0]]
        fid = ref.partition(":")[0]
        finding = knowledge.finding(fid)
        # One answer per yes/no or one-choice finding at a place: the longest phrase there wins.
        key = ref if finding.type is AnswerType.SEVERAL_CHOICES else fid
        for at in _find(words, toks, positions, strict):
            first, last = at[0], at[-1]
            covered = taken.setdefault(key, set())
            if any(i in covered for i in range(first, last + 1)):
                continue  # this finding already matched here through a longer phrase
            covered.update(range(first, last + 1))
            # A phrase that carries its own negation ("rest doesn't help") is a statement, not negated.
            found.append((ref, phrase, at, any(w in _NEGATIONS for w in words)))
    # Negation words inside such a phrase are used up by it ("I can't pee, with back pain").
    owned = {i for _, _, at, own in found if own for i in range(at[0], at[-1] + 1)}
    who = about(text)
    subject = who.relation if who.who != "self" else None
    mentions = [
        Mention(
            ref,
            phrase,
            tokens[at[0]][1],
            tokens[at[-1]][2],
            not own
            and (
                _negated(toks, at[0], at[-1], owned)
                or at[0] in denying
                or _negated_inside(toks, at)
                or _negated_after(toks, at[-1])
            ),
            context_of(toks, at[0], at[-1], subject),
            at,
        )
        for ref, phrase, at, own in found
    ]
    used = {i for _, _, at, _ in found for i in at}
    mentions += _denied_words(knowledge, tokens, toks, denying_words, used, subject)
    mentions = _drop_contained(knowledge, mentions, denying)
    mentions = [m for m in (_in_context(knowledge, m, text) for m in mentions) if m is not None]
    numbers = quantities(text)
    mentions += _measured(knowledge, text, tokens, toks, numbers)
    mentions = _reading_decides(knowledge, numbers, mentions)
    mentions += _onsets(knowledge, text, tokens, toks, owned)
    mentions = _one_duration(knowledge, text, mentions)
    mentions.sort(key=lambda m: m.start)

    denied = {m.ref for m in mentions if m.negated} - {m.ref for m in mentions if not m.negated}
    present: dict[str, None] = {}
    pending: list[tuple[str, list[str]]] = []  # options that need their parent mentioned on its own
    for m in mentions:
        if m.negated:
            continue
        fid = m.ref.partition(":")[0]
        # An option implies the findings it hangs from ("lower back" -> back pain), unless its finding says
        # otherwise ("for two days" counts only if back pain is mentioned). A yes/no child implies its parent
        # ("epigastric pain" -> tummy pain) unless it is not a kind of it ("sweating" is not "chest pain").
        finding = knowledge.finding(fid)
        parents = _parents(knowledge, finding) if ":" in m.ref or finding.implies_parent else []
        if any(p in denied for p in parents):
            continue  # "no back pain, ... one side of my chest": the explicit "no" wins over an implied parent
        if parents and not knowledge.finding(fid).options_imply_parent:
            pending.append((m.ref, parents))
            continue
        for parent in reversed(parents):
            present.setdefault(parent, None)
        present.setdefault(m.ref, None)
    for ref, parents in pending:
        if parents[0] in present:
            present.setdefault(ref, None)
    absent = [r for r in dict.fromkeys(m.ref for m in mentions if m.negated) if r in denied and r not in present]
    return Parsed(tuple(present), tuple(absent), tuple(mentions), who)


def _in_context(knowledge: Knowledge, m: Mention, text: str = "") -> Mention | None:
    """A mention as it counts for the person now: said of a relative it becomes the family-history finding
    (if the knowledge names one) or nothing; a fear or a question counts for nothing; a symptom long past
    says nothing about now."""
    if m.context == "family":
        family = _family_findings(knowledge).get(m.ref.partition(":")[0])
        if family and _too_old_for(knowledge, family, text[m.end : m.end + 24]):
            return None
        return replace(m, ref=family, context="current") if family else None
    if m.context == "hypothetical":
        return None
    if m.ref in _family_findings(knowledge).values() and _too_old_for(knowledge, m.ref, text[m.end : m.end + 24]):
        return None
    if m.context == "past" and knowledge.finding(m.ref.partition(":")[0]).category is FindingCategory.SYMPTOM:
        return None
    return m


_AGE_AT = re.compile(r"^\W*(?:at|aged?|age|when)\s+(?:about\s+|he was\s+|she was\s+)?(\d{2})\b", re.IGNORECASE)
_BEFORE_AGE = re.compile(r"\bbefore (?:the age of )?(\d{2})\b")


def _too_old_for(knowledge: Knowledge, family: str, after: str) -> bool:
    """Whether the age a relative had it at ("dad died of MI at 70") is past the age its family-history finding
    asks about ("...heart disease before 60?"): then it is not that finding."""
    limit = _BEFORE_AGE.search(knowledge.finding(family).question)
    age = _AGE_AT.match(after)
    return bool(limit and age and int(age.group(1)) >= int(limit.group(1)))


@lru_cache(maxsize=16)
def _family_findings(knowledge: Knowledge) -> dict[str, str]:
    """Finding id -> the family-history finding it means when said of a relative."""
    return {fid: f.id for f in knowledge.findings for fid in f.family_of}


def _measured(
    knowledge: Knowledge, text: str, tokens: list[tuple[str, int, int]], toks: list[str], numbers: list[Quantity]
) -> list[Mention]:
    """Findings answered by numbers: a temperature, pulse or pain score (a finding's ``measure`` or an option's
    ``score``) and how long the main problem has lasted (an option's ``days``; ``_one_duration`` keeps one)."""
    out: list[Mention] = []
    ends = [b for _, _, b in tokens]
    for q in numbers:
        first = min(bisect_right(ends, q.start), len(tokens) - 1)
        context = context_of(toks, first, first, time_after=False) if tokens else "current"
        if context != "current":
            continue
        phrase = text[q.start : q.end]
        measured, by_days, by_score = _number_answers(knowledge)
        if q.kind == "days":
            for fid, option, days in by_days:
                if _within(q.value, days):
                    out.append(Mention(f"{fid}:{option}", phrase, q.start, q.end, False))
        elif q.kind == "pain_score":
            for fid, option, score in by_score:
                if score[0] <= q.value <= score[1]:
                    out.append(Mention(f"{fid}:{option}", phrase, q.start, q.end, False))
        else:
            for f in measured.get(q.kind, ()):
                m = f.measure
                assert m is not None
                if (m.at_least is not None and q.value >= m.at_least) or (
                    m.at_most is not None and q.value <= m.at_most
                ):
                    out.append(Mention(f.id, phrase, q.start, q.end, False))
                elif m.absent_below is not None and q.value < m.absent_below:
                    out.append(Mention(f.id, phrase, q.start, q.end, True))
    return out


def _reading_decides(knowledge: Knowledge, numbers: list[Quantity], mentions: list[Mention]) -> list[Mention]:
    """A finding's word that is part of a typed reading ("temperature 36.8", "fever 37.9") is not a mention of it:
    the number answers, by the finding's measure, or leaves it unanswered."""
    measures, _, _ = _number_answers(knowledge)
    kind_of = {f.id: kind for kind, fs in measures.items() for f in fs}
    readings = [(q.start, q.end, q.kind) for q in numbers if q.kind != "days"]
    if not readings:
        return mentions
    return [
        m
        for m in mentions
        if not (
            m.words
            and m.ref in kind_of
            and any(a <= m.start and m.end <= b and k == kind_of[m.ref] for a, b, k in readings)
        )
    ]


def _onsets(
    knowledge: Knowledge, text: str, tokens: list[tuple[str, int, int]], toks: list[str], owned: set[int]
) -> list[Mention]:
    """A sudden onset said in words the phrases miss ("sudden agony", "all at once"), for each option that means
    a sudden onset."""
    refs = _sudden_options(knowledge)
    out: list[Mention] = []
    ends = [b for _, _, b in tokens]
    for start, end in sudden_onsets(text) if refs else ():
        first = min(bisect_right(ends, start), len(tokens) - 1)
        negated = _negated(toks, first, first, owned)
        context = context_of(toks, first, first)
        if context == "current":
            out += [Mention(ref, text[start:end], start, end, negated, context, (first,)) for ref in refs]
    return out


@lru_cache(maxsize=16)
def _sudden_options(knowledge: Knowledge) -> tuple[str, ...]:
    """The options that mean a problem came on suddenly: those the knowledge gives the word "suddenly"."""
    return tuple(
        f"{f.id}:{o.id}" for f in knowledge.findings for o in f.options if "suddenly" in {s.lower() for s in o.synonyms}
    )


def _one_duration(knowledge: Knowledge, text: str, mentions: list[Mention]) -> list[Mention]:
    """One duration per finding (the main problem's). A length that is not how long a problem has lasted (an age,
    one episode, a habit) is dropped, and so is one said of a long-standing condition rather than of a symptom ("I've
    had osteoporosis for years, and this morning..."); of those left, the first said, since a text usually opens
    with its main problem ("fever for 2 weeks and a cough for 3 days"; "started this morning ... calf swollen since
    last week"). Taking the longest instead measured the same on the development set but for one sentence, where
    it was wrong. A sudden onset said of a death ("died suddenly") is dropped too."""
    days = _option_days(knowledge)
    sudden = set(_sudden_options(knowledge))
    timed = [m for m in mentions if m.ref in days and not m.negated]
    timed = [m for m in timed if not not_how_long(text, m.start, m.end, max(days[m.ref], 1 / 24))]
    timed = [
        m
        for m in timed
        if not (
            _SPAN.search(m.phrase.lower()) and _said_of(knowledge, text, m, mentions, days) is FindingCategory.HISTORY
        )
    ]
    best: dict[str, Mention] = {}
    for m in timed:
        fid = m.ref.partition(":")[0]
        if fid not in best or m.start < best[fid].start:
            best[fid] = m
    keep = set(map(id, best.values()))
    return [
        m
        for m in mentions
        if (m.ref not in days or m.negated or id(m) in keep)
        and not (m.ref in sudden and about_a_death(text, m.start, m.end))
    ]


# A span ("for years", "x 5 yrs", "6/12") says how long something has gone on; a point in time ("last week",
# "2 days ago", "yesterday") says when something happened, which for an event such as a fall is when the problem
# began.
_SPAN = re.compile(r"^(?:for|over|x|the past|the last|past|since (?:i was|childhood|birth))\b|^\d(?!.*\bago\b)")
_CLAUSE_REACH = 120  # characters: a clause is shorter, and this keeps the look-up cheap in a long text
_CLAUSE_BREAK = re.compile(r"[.;!?,]|\b(?:and|but|then|now)\b", re.IGNORECASE)


def _said_of(
    knowledge: Knowledge, text: str, d: Mention, mentions: list[Mention], days: dict[str, float]
) -> FindingCategory | None:
    """The kind of finding a duration is said of: the nearest yes/no mention in its clause, before it if any."""
    best: tuple[int, int] | None = None
    kind = None
    for m in mentions:
        if m.ref in days or ":" in m.ref or m.negated:
            continue
        lo, hi = (m.end, d.start) if m.end <= d.start else (d.end, m.start)
        if hi < lo or hi - lo > _CLAUSE_REACH or _CLAUSE_BREAK.search(text, lo, hi):
            continue
        rank = (0 if m.end <= d.start else 1, hi - lo)
        if best is None or rank < best:
            best, kind = rank, knowledge.finding(m.ref).category
    return kind


@lru_cache(maxsize=16)
def _option_days(knowledge: Knowledge) -> dict[str, float]:
    """Each duration option and the least number of days it stands for."""
    return {f"{f.id}:{o.id}": o.days[0] for f in knowledge.findings for o in f.options if o.days}


@lru_cache(maxsize=16)
def _number_answers(
    knowledge: Knowledge,
) -> tuple[dict[str, list[Finding]], list[tuple[str, str, list[float]]], list[tuple[str, str, list[float]]]]:
    """Findings with a measure by quantity, options with a day range, options with a score range."""
    measured: dict[str, list[Finding]] = {}
    by_days, by_score = [], []
    for f in knowledge.findings:
        if f.measure is not None:
            measured.setdefault(f.measure.quantity, []).append(f)
        for o in f.options:
            if o.days:
                by_days.append((f.id, o.id, o.days))
            if o.score:
                by_score.append((f.id, o.id, o.score))
    return measured, by_days, by_score


def _within(value: float, days: list[float]) -> bool:
    return days[0] <= value and (len(days) == 1 or value < days[1])


def to_evidence(
    knowledge: Knowledge, parsed: Parsed, gate_with: Collection[str] | None = None
) -> dict[str, str | list[str]]:
    """Engine answers from parsed findings: yes/no present or absent, the chosen option(s) of choices.

    With ``gate_with`` (findings known present, such as the main complaint), an answer is kept only when
    the interview could ask it: its parent is present. "Sweaty" then stays out unless there is chest pain,
    instead of making chest pain present through its child.
    """
    out = _evidence(knowledge, parsed)
    if gate_with is None:
        return out
    changed = True
    while changed:
        changed = False
        for fid in list(out):
            finding = knowledge.finding(fid)
            parent = finding.parent
            implied = finding.implies_parent and finding.type is AnswerType.YES_NO and out[fid] == "present"
            if parent and ":" not in parent and implied:
                continue  # "epigastric pain" means tummy pain too; the engine counts the parent present
            if parent and not _given(out, set(gate_with), parent):
                del out[fid]
                changed = True
    return out


def _given(out: dict[str, str | list[str]], known: set[str], ref: str) -> bool:
    fid, _, opt = ref.partition(":")
    answer = out.get(fid)
    if opt:
        return answer == opt or (isinstance(answer, list) and opt in answer)
    return fid in known or answer == "present"


def _evidence(knowledge: Knowledge, parsed: Parsed) -> dict[str, str | list[str]]:
    out: dict[str, str | list[str]] = {}
    for ref in parsed.absent:
        if ":" not in ref and knowledge.finding(ref).type is AnswerType.YES_NO:
            out[ref] = "absent"
    for ref in parsed.present:
        fid, _, opt = ref.partition(":")
        finding = knowledge.finding(fid)
        if finding.type is AnswerType.YES_NO:
            out[fid] = "present"
        elif opt and finding.type is AnswerType.ONE_CHOICE:
            out.setdefault(fid, opt)
        elif opt:
            chosen = out.setdefault(fid, [])
            if isinstance(chosen, list) and opt not in chosen:
                chosen.append(opt)
    return out
