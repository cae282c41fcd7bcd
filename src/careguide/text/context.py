"""Who a text is about and in what sense a mention holds: now, in the family, in the past, or only feared.

- ``about``: "my son has...", "my 4 month old...", "Mum (84)...", "45M, ..." - who the person is, their age
  and sex when the words say so, so that the quiz can be set up for them.
- For each mention, the context it stands in, from cue words earlier in the same clause:
  - ``family``: "my mum had breast cancer", "family history of heart disease", "runs in the family" (unless
    that relative is the person the text is about);
  - ``hypothetical``: "worried it might be cancer", "could it be my heart?", "to rule out a clot";
  - ``past``: "had pneumonia years ago", "as a child" (a symptom then says nothing about now);
  - ``current`` otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["About", "about", "context_of"]

_CHILD = {
    "son": "male", "daughter": "female", "baby": None, "child": None, "kid": None, "boy": "male", "girl": "female",
    "toddler": None, "newborn": None, "infant": None, "little one": None, "grandson": "male",
    "granddaughter": "female", "nephew": "male", "niece": "female", "lo": None, "ds": "male", "dd": "female",
}  # fmt: skip
_OTHER = {
    "husband": "male", "wife": "female", "partner": None, "mum": "female", "mother": "female", "mom": "female",
    "mam": "female", "dad": "male", "father": "male", "nan": "female", "nana": "female", "gran": "female",
    "granny": "female", "grandma": "female", "grandmother": "female", "grandad": "male", "grandpa": "male",
    "grandfather": "male", "brother": "male", "sister": "female", "friend": None, "flatmate": None,
    "boyfriend": "male", "girlfriend": "female", "neighbour": None, "neighbor": None, "aunt": "female",
    "auntie": "female", "uncle": "male", "fiance": "male", "fiancee": "female", "client": None, "patient": None,
    "resident": None,
}  # fmt: skip
_RELATIVES = frozenset(
    {
        "mum", "mother", "mom", "mam", "dad", "father", "brother", "sister", "grandma", "grandmother", "nan",
        "nana", "granny", "gran", "grandad", "grandfather", "grandpa", "aunt", "auntie", "uncle", "cousin",
        "parents", "parent", "siblings", "sibling", "grandparents", "grandparent", "relative", "relatives",
    }
)  # fmt: skip
_FAMILY_VERBS = frozenset({"had", "died", "passed", "suffered", "diagnosed", "got", "dying", "succumbed"})
_FAMILY_PHRASES = (("family", "history"), ("fh",), ("fhx",), ("runs", "in"), ("in", "the", "family"), ("family", "hx"))
_HYPOTHETICAL = (
    ("worried", "it"), ("worried", "that"), ("worried", "i"), ("worried", "this"), ("worry", "it"), ("afraid", "it"),
    ("scared", "it"), ("scared", "i"), ("scared", "that"), ("concerned", "it"), ("concerned", "that"),
    ("wondering", "if"), ("wonder", "if"), ("could", "it", "be"), ("could", "this", "be"), ("might", "it", "be"),
    ("is", "it"), ("is", "this"), ("in", "case"), ("rule", "out"), ("ruling", "out"), ("exclude",), ("what", "if"),
    ("fear", "it"), ("fear", "of"), ("terrified", "of"), ("terrified", "it"), ("risk", "of"), ("chance", "of"),
)  # fmt: skip
_PAST = (
    ("years", "ago"), ("as", "a", "child"), ("when", "i", "was"), ("in", "the", "past"), ("used", "to"),
    ("last", "year"), ("months", "ago"), ("previously",), ("years", "back"),
)  # fmt: skip
_CLAUSE_END = frozenset({".", ";", "!", "but", "however", "although", "though", "whereas", "now", "currently", "today"})
_SCOPE = 10


@dataclass(frozen=True)
class About:
    who: str  # "self", "child" or "other"
    relation: str | None = None  # the word used ("son", "mum"...)
    age_years: int | None = None
    age_months: int | None = None
    sex: str | None = None


_RELATION = re.compile(
    r"\b(?:my|our|both my|both our) (?:(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"[- ](?:year|yr|month|week|day)s?[- ]old )?(?:little |baby |eldest |youngest |older |younger |teenage |elderly |"
    r"\w+ )??([a-z]+(?: one)?)\b|^\W*([a-z]+) (?:is|'s|has|had|\(\d)"
)
_RELATIVE_AGE = re.compile(
    r"\b(?:son|daughter|boy|girl|baby|child|kid|mum|mother|mom|dad|father|husband|wife|partner|brother|sister|"
    r"nan|gran|grandma|grandad|grandpa|aunt|uncle|friend)(?:'s| is| aged)? (\d{1,3})\b"
    r"(?! ?(?:min|hour|day|week|month|year|%))"
)
_MONTHS = re.compile(r"\b(\d{1,2}) ?(?:mo|mos|mths?|months?)\b(?! ago)|\b(\d{1,2})/12\b(?!\s*(?:ago|hx|history|of))")
_AGE = re.compile(
    r"\b(\d{1,3})[- ]?(year|yr|month|week|day)s?[- ]?old\b|\baged? (\d{1,3})\b|\b(\d{1,3}) ?(yo|y/o|yrs? old)\b"
    r"|\b(\d{1,3}) ?(m|f|male|female)\b(?=[ ,.:;)])|\((\d{1,3})\)|\b(?:he|she)(?:'s| is) (\d{1,3})\b"
)


_CLINICAL_AGE = re.compile(r"^\W*(?:pt|patient|this|[a-z]+:)?\s*(\d{1,3})\s?(m|f|yo|y/o|yr|yrs|year old|male|female)\b")
_NOTE = re.compile(r"^\W*(?:pt\b|patient\b|dear dr|letter\b|referral\b|re:|gp letter|carer\b|nurse\b|o/e\b|c/o\b)")
_SLASH_AGE = re.compile(r"\b(\d{1,2})/(12|52)\s*(?:old|o)\b")
_CHILD_WORDS = re.compile(r"\b(?:boy|girl|baby|infant|toddler|child|son|daughter|newborn)\b")


def about(text: str) -> About:
    """Who the text is about, with age and sex when it says (whole years; months for babies).

    "my son...", "my 4 month old...", "my mum (84)..." and a clinician's note ("72M c/o...", "Pt 38F",
    "Dear Dr, ... this 67F", "18/12 old girl") are about someone else; a child when under 16.
    """
    low = text.lower().replace("\u2019", "'")
    head = low[:120]
    who, relation, sex = "self", None, None
    m = _RELATION.search(head)
    if m and m.start() < 100:
        word = m.group(1) or m.group(2)
        if word in ("kids", "children", "twins"):
            word = "kid"
        if word in _CHILD:
            who, relation, sex = "child", word, _CHILD[word]
        elif word in _OTHER:
            who, relation, sex = "other", word, _OTHER[word]
    age_years: int | None = None
    age_months: int | None = None
    clinical = _CLINICAL_AGE.search(head)
    slash = _SLASH_AGE.search(head)
    a = _AGE.search(head)
    relative_age = _RELATIVE_AGE.search(head)
    months_only = _MONTHS.search(head[:40])
    if head.lstrip().startswith(("me,", "me ", "me:", "myself")):
        clinical = None  # "Me, 29F: ..." is the writer's own note
    if slash:
        n = int(slash.group(1))
        months = n if slash.group(2) == "12" else n * 7 // 30
        age_years, age_months = months // 12, months if months < 24 else None
    elif clinical:
        age_years = int(clinical.group(1))
        unit = clinical.group(2)
        if unit in ("m", "male"):
            sex = sex or "male"
        elif unit in ("f", "female"):
            sex = sex or "female"
    elif relative_age:
        age_years = int(relative_age.group(1))
    elif months_only and (who == "child" or re.search(r"\bbaby\b|^\W*\d", head)):
        n = int(months_only.group(1) or months_only.group(2))
        age_years, age_months = n // 12, n if n < 24 else None
        if who == "self" and re.match(r"^\W*\d", head):
            who = "child"
    elif a:
        if a.group(1):
            n, unit = int(a.group(1)), a.group(2)
            if unit == "month":
                age_years, age_months = n // 12, n if n < 24 else None
            elif unit in ("week", "day"):
                age_years, age_months = 0, 0 if unit == "day" else min(n * 7 // 30, 11)
            else:
                age_years = n
        else:
            value = next(g for g in (a.group(3), a.group(4), a.group(6), a.group(8), a.group(9)) if g)
            age_years = int(value)
            if a.group(7) in ("m", "male") and sex is None:
                sex = "male"
            elif a.group(7) in ("f", "female") and sex is None:
                sex = "female"
    writer = head.lstrip().startswith(("me,", "me ", "me:", "myself"))
    if who == "self" and not writer and (clinical or slash or _NOTE.search(head) or (a is not None and a.start() < 25)):
        who = "other"  # a note or letter about a patient, or "Stan (76) ...": not the writer
    if who == "self" and not writer and _CHILD_WORDS.search(head[:40]) and (age_years is not None or months_only):
        who = "child"
    if who == "self" and age_years is not None and age_years < 16 and re.search(r"\b(?:he|she|they)\b", head):
        who = "child"
    if who == "other" and age_years is not None and age_years < 16:
        who = "child"
    if who == "child" and re.search(r"\b(?:breast ?feed\w*|gave birth|had (?:a|my) baby|since (?:the )?birth)", low):
        who, relation, age_years, age_months = "self", None, None, None  # a new mother about herself
    if age_years is not None and not 0 <= age_years <= 120:
        age_years = None
    return About(who, relation, age_years, age_months, sex)


def _cue_before(toks: list[str], first: int, cues: tuple[tuple[str, ...], ...]) -> bool:
    j, steps = first - 1, 0
    while j >= 0 and steps < _SCOPE:
        if toks[j] in _CLAUSE_END:
            return False
        for cue in cues:
            if toks[j : j + len(cue)] == list(cue):
                return True
        j -= 1
        steps += 1
    return False


def _family(toks: list[str], first: int, last: int, subject: str | None) -> bool:
    """A relative (not the person the text is about) with a past-tense verb before the mention, or a
    family-history phrase around it, in the same clause."""
    if _cue_before(toks, first, _FAMILY_PHRASES):
        return True
    after = toks[last + 1 : last + 6]
    if any(after[i : i + 2] == ["runs", "in"] for i in range(len(after))) or after[:2] == ["in", "family"]:
        return True
    relative, verb = None, False
    j, steps = first - 1, 0
    while j >= 0 and steps < _SCOPE:
        t = toks[j]
        if t in _CLAUSE_END or t == ",":
            break
        if t in _FAMILY_VERBS:
            verb = True
        if t in _RELATIVES:
            relative = t
            break
        j -= 1
        steps += 1
    return relative is not None and verb and relative != subject


def context_of(toks: list[str], first: int, last: int, subject: str | None = None) -> str:
    """The context of a mention spanning tokens first..last: family, hypothetical, past or current."""
    if _family(toks, first, last, subject):
        return "family"
    if _cue_before(toks, first, _HYPOTHETICAL):
        return "hypothetical"
    if _cue_before(toks, first, _PAST) or _past_after(toks, last):
        return "past"
    return "current"


def _past_after(toks: list[str], last: int) -> bool:
    rest = toks[last + 1 : last + 5]
    return any(rest[i : i + 2] in (["years", "ago"], ["as", "a"], ["last", "year"]) for i in range(len(rest)))
