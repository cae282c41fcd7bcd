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
_FAMILY_VERBS = frozenset(
    {"had", "has", "have", "died", "passed", "suffered", "diagnosed", "got", "dying", "succumbed", "with"}
)
# "Mum says I snore", "my wife noticed I'm yellow": a relative who reports, not one who has the problem.
_REPORTING = frozenset(
    {"says", "said", "thinks", "thought", "noticed", "notices", "saw", "sees", "told", "tells", "asks", "asked",
     "asking", "reckons", "worried", "worries", "heard", "hears", "found", "finds", "took", "takes", "gave"}
)  # fmt: skip
# A first-person word between the relative and the mention makes it the writer's own ("since dad died I can't
# sleep").
_FIRST_PERSON = frozenset({"i", "i'm", "im", "i've", "ive", "me", "my", "myself", "we", "us", "our"})
_FAMILY_PHRASES = (
    ("family", "history"), ("fh",), ("fhx",), ("runs", "in"), ("in", "the", "family"), ("family", "hx"),
    ("fam", "hx"),
)  # fmt: skip
# A fear or a question: the worry word and what follows it ("worried it's", "scared that", "could it be").
_FEAR_WORDS = frozenset(
    {"worried", "worry", "worries", "worrying", "scared", "afraid", "terrified", "concerned", "fear", "fears",
     "feared", "frightened", "petrified", "anxious", "paranoid", "convinced", "thinking", "thought", "wondering",
     "wonder", "panicking", "panicked"}
)  # fmt: skip
_FEAR_NEXT = frozenset(
    {"it", "it's", "its", "this", "that", "i", "i'm", "i've", "i'd", "he", "he's", "she", "she's", "they", "they're",
     "we", "re", "if", "might", "may", "could", "whether"}
)  # fmt: skip
_HYPOTHETICAL = (
    ("could", "it", "be"), ("could", "this", "be"), ("might", "it", "be"), ("could", "be"), ("might", "be"),
    ("is", "it"), ("is", "this"), ("in", "case"), ("rule", "out"), ("ruling", "out"), ("r", "o"), ("exclude",),
    ("excluded",), ("what", "if"), ("risk", "of"), ("chance", "of"), ("query",), ("possible",), ("possibly",),
    ("probable",), ("suspected",), ("suspect",), ("screen", "for"), ("screening", "for"), ("screened", "for"),
    ("checked", "for"), ("tested", "for"), ("test", "for"), ("check", "for"), ("ddx",), ("differential",),
)  # fmt: skip
# After the mention: "AAA screen", "?DVT" already handled; "x screening", "x test".
_HYPOTHETICAL_AFTER = frozenset({"screen", "screening", "check", "scan"})
# Words that show the worry's subject is itself present: "worried this tiredness is diabetes".
_COPULAS = frozenset({"is", "are", "could", "might", "may", "means", "mean", "was"})
_PAST = (
    ("years", "ago"), ("as", "a", "child"), ("as", "a", "kid"), ("as", "a", "baby"), ("as", "a", "teenager"),
    ("when", "i", "was"), ("when", "he", "was"), ("when", "she", "was"), ("in", "the", "past"), ("used", "to"),
    ("last", "year"), ("last", "yr"), ("months", "ago"), ("previously",), ("years", "back"), ("previous",),
    ("prev",), ("years", "before"),
)  # fmt: skip
# After the mention: "... last year", "... 2 years ago", "... as a child". ("Resolved" is not enough: a weakness
# that came and went within the hour is what a doctor most needs to hear.)
_PAST_AFTER = (
    ("last", "year"), ("last", "yr"), ("last", "month"), ("last", "summer"), ("last", "winter"), ("last", "season"),
    ("as", "a", "child"), ("as", "a", "kid"), ("as", "a", "baby"), ("as", "a", "teenager"),
    ("ago",),
    ("in", "the", "past"), ("years", "back"),
)  # fmt: skip
# "Pain that started 2 weeks ago", "since last month": the time is when a present problem began.
_STARTED = frozenset(
    {"started", "start", "starting", "began", "begun", "since", "for", "from", "came", "onset", "lasting",
     "now", "still", "ongoing", "every", "each", "x", "hour", "hours", "hr", "hrs", "day", "days", "min", "mins",
     "minutes", "7", "today", "yesterday", "night", "morning", "am", "pm", "found", "noticed", "spotted",
     "appeared", "developed", "woke", "after"}
)  # fmt: skip
# A time this recent before "ago" dates the start of what is happening now (read on the safe side: as present).
_RECENT_UNITS = frozenset(
    {"h", "hr", "hrs", "hour", "hours", "min", "mins", "minute", "minutes", "d", "day", "days", "wk", "wks", "week",
     "weeks", "yesterday"}
)  # fmt: skip
_CLAUSE_END = frozenset({".", ";", "!", "?", "but", "however", "although", "though", "whereas", "now", "currently",
                         "today"})  # fmt: skip
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


def _cue_before(toks: list[str], first: int, cues: tuple[tuple[str, ...], ...], comma: bool = False) -> int | None:
    """Where the nearest cue before the mention starts, in the same clause (None if there is none); with
    ``comma``, a comma ends the clause too."""
    j, steps = first - 1, 0
    while j >= 0 and steps < _SCOPE:
        if toks[j] in _CLAUSE_END or (comma and toks[j] == ","):
            return None
        for cue in cues:
            if toks[j : j + len(cue)] == list(cue) and j + len(cue) <= first:
                return j
        j -= 1
        steps += 1
    return None


def _fear_before(toks: list[str], first: int) -> int | None:
    """Where a worry ("worried it's", "scared that", "terrified its") starts before the mention, in its clause."""
    j, steps = first - 1, 0
    while j >= 0 and steps < _SCOPE:
        if toks[j] in _CLAUSE_END or toks[j] == ",":
            return None
        if toks[j] in _FEAR_WORDS and j + 1 < first and toks[j + 1] in _FEAR_NEXT:
            return j
        j -= 1
        steps += 1
    return None


def _family(toks: list[str], first: int, last: int, subject: str | None) -> bool:
    """A relative (not the person the text is about) before the mention in the same clause, with a verb of
    having ("mum had", "dad has", "sister with") or with nothing between ("dad MI at 52", a note's shorthand),
    or a family-history phrase around it."""
    if _cue_before(toks, first, _FAMILY_PHRASES) is not None:
        return True
    after = toks[last + 1 : last + 6]
    if any(after[i : i + 2] == ["runs", "in"] for i in range(len(after))) or after[:2] == ["in", "family"]:
        return True
    relative, verb = None, False
    j, steps = first - 1, 0
    while j >= 0 and steps < _SCOPE:
        t = toks[j]
        if t in _CLAUSE_END or t == "," or t in _REPORTING:
            break
        if t in _FIRST_PERSON and not (j + 1 < len(toks) and toks[j + 1] in _RELATIVES):
            break  # "since dad died I can't sleep": the writer's own ("my dad" is still the relative)
        if t in _FAMILY_VERBS:
            verb = True
        if t in _RELATIVES:
            relative = t
            break
        j -= 1
        steps += 1
    if relative is None or relative == subject:
        return False
    return verb or j == first - 1 or (j == first - 2 and toks[first - 1] in ("s", "'s"))


def context_of(toks: list[str], first: int, last: int, subject: str | None = None, time_after: bool = True) -> str:
    """The context of a mention spanning tokens first..last: family, hypothetical, past or current. Without
    ``time_after``, a time after the mention does not make it past (a duration's own "3 weeks ago")."""
    if _family(toks, first, last, subject):
        return "family"
    cue = _cue_before(toks, first, _HYPOTHETICAL, comma=True)
    fear = _fear_before(toks, first)
    starts = [c for c in (cue, fear) if c is not None]
    if starts and not _subject_of_worry(toks, max(starts), first, last):
        return "hypothetical"
    if toks[last + 1 : last + 2] and toks[last + 1] in _HYPOTHETICAL_AFTER:
        return "hypothetical"  # "going for an AAA screen"
    if _cue_before(toks, first, _PAST) is not None:
        return "past"
    if _past_after(toks, first, last) if time_after else _long_ago(toks, first, last):
        return "past"
    return "current"


def _subject_of_worry(toks: list[str], cue: int, first: int, last: int) -> bool:
    """Whether the mention is what the person has and worries about ("worried this tiredness is diabetes"): it
    stands before the worry's verb ("is", "could") rather than after it ("worried it might be meningitis")."""
    if any(t in _COPULAS for t in toks[cue + 1 : first]) or toks[cue] in ("is", "could", "might"):
        return False
    for t in toks[last + 1 : last + 6]:
        if t in _CLAUSE_END or t == ",":
            return False
        if t in _COPULAS:
            return True
    return False


def _started_before(toks: list[str], first: int) -> bool:
    """A word saying that something began ("noticed", "started", "since") before ``first``, in its clause."""
    j = first - 1
    while j >= 0 and toks[j] not in _CLAUSE_END and toks[j] != ",":
        if toks[j] in _STARTED:
            return True
        j -= 1
    return False


def _past_after(toks: list[str], first: int, last: int) -> bool:
    """A time in the past after the mention, before anything saying when a present problem started: "had
    pneumonia last year", "blurred vision 2 years ago, resolved", "eczema as a child"."""
    j = last + 1
    while j < min(len(toks), last + 8):
        t = toks[j]
        if t in _STARTED or t in (".", ";", "!", "?", ",", "but"):
            return False
        for cue in _PAST_AFTER:
            if toks[j : j + len(cue)] == list(cue):
                if cue == ("ago",) and j > 0 and toks[j - 1] in _RECENT_UNITS:
                    return False  # "sudden severe pain 3 h ago": when a present problem began, not a past one
                return cue != ("ago",) or not _started_before(toks, first)
        if t == "before" and j > 0 and (toks[j - 1].isdigit() or toks[j - 1] in _UNITS):
            return True  # "D&V 2/52 before"
        j += 1
    return False


def _long_ago(toks: list[str], first: int, last: int) -> bool:
    """A time itself in the past: "had my gallbladder out 5 years ago" (but "it started 2 years ago" is when a
    present problem began)."""
    if not any(toks[j : j + 2] in (["years", "ago"], ["yrs", "ago"], ["year", "ago"]) for j in range(last, last + 3)):
        return False
    return not _started_before(toks, first)


_UNITS = frozenset({"year", "years", "yr", "yrs", "month", "months", "mths", "week", "weeks", "wk", "wks"})
