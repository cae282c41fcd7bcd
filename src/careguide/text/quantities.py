"""Numbers in a person's words: temperatures, pulse and breathing rates, blood pressure, oxygen levels, pain
scores, and how long something has lasted ("for 3 days", "since Monday", "2/52", "on and off for years").

Each is found with its place in the text, so that parsing can tell which finding it answers (a finding's
``measure`` in the knowledge, or a duration option's ``days``) and whether it is said of someone else. Lengths
that are not how long a problem has lasted (an age, one episode, an exposure long ago, a habit) are left out, and
``sudden_onsets`` finds where a problem is said to have come on suddenly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Quantity", "about_a_death", "not_how_long", "quantities", "sudden_onsets"]


@dataclass(frozen=True)
class Quantity:
    kind: str  # temperature_c, heart_rate, breathing_rate, systolic_bp, oxygen_saturation, pain_score, days
    value: float
    start: int  # character offsets in the text
    end: int


_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "eighteen": 18, "twenty": 20,
    "couple": 2, "a couple of": 2, "couple of": 2, "a few": 3, "few": 3, "several": 4, "half a": 0.5,
}  # fmt: skip
_UNIT_DAYS = {
    "second": 1 / 86400, "sec": 1 / 86400, "minute": 1 / 1440, "min": 1 / 1440, "mins": 1 / 1440,
    "hour": 1 / 24, "hr": 1 / 24, "hrs": 1 / 24, "h": 1 / 24,
    "day": 1.0, "d": 1.0, "night": 1.0, "week": 7.0, "wk": 7.0, "wks": 7.0, "fortnight": 14.0,
    "month": 30.0, "mo": 30.0, "mth": 30.0, "mths": 30.0, "year": 365.0, "yr": 365.0, "yrs": 365.0,
}  # fmt: skip
# Clinical shorthand: 3/7 = 3 days, 2/52 = 2 weeks, 6/12 = 6 months, 12/24 = 12 hours.
_SLASH_DAYS = {"7": 1.0, "52": 7.0, "12": 30.0, "24": 1 / 24}

_NUM = r"(\d+(?:\.\d+)?|" + "|".join(sorted((re.escape(w) for w in _NUMBER_WORDS), key=len, reverse=True)) + r")"
_UNIT = (
    r"(seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|d|nights?|weeks?|wks?|w|fortnights?|months?|mths?|mo|"
    r"years?|yrs?)"
)
_BEFORE = (
    r"(?:for|past|last|over|since|x|about|around|nearly|almost|roughly|approx|approximately|within|in the last|"
    r"the last|the past)"
)
_DURATION = re.compile(
    rf"(?:\b{_BEFORE}\s+(?:the\s+)?(?:last\s+|past\s+)?)?\b{_NUM}\s*[- ]?\s*{_UNIT}\b"
    r"(?:\s*(ago|history|hx|of|now|long|duration|old)\b)?"
)
_SLASH = re.compile(r"(?<![\d/])(\d{1,2}(?:\.\d)?)\s*/\s*(7|52|12|24)(?![\d/])")
_WEEKDAYS = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|wed|thurs|fri|sat|sun|the weekend)"
_CLOCK = r"(?:\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|[0-2]\d[0-5]\d(?:\s*h(?:rs?)?)?\b|\d{1,2}\s*o'?clock)"
_PHRASES: tuple[tuple[re.Pattern[str], float], ...] = tuple(
    (re.compile(p), d)
    for p, d in (
        (r"\b(?:for|over|since) (?:many |several |some |a few )?years\b|\bfor ages\b|\blong[- ]standing\b"
         r"|\bsince (?:i was|childhood)", 1000.0),
        (r"\b(?:for|over) (?:a few |several |some )?months\b", 120.0),
        (r"\bsince last (?:week|weekend)\b|\blast week\b", 8.0),
        (rf"\bsince (?:last )?{_WEEKDAYS}\b", 3.0),
        (r"\bsince yesterday\b|\byesterday\b|\bovernight\b|\bday before yesterday\b", 1.0),
        (r"\b(?:since|from) (?:this|last) (?:morning|afternoon|evening|night)\b"
         r"|\bthis (?:morning|afternoon|evening|am)\b|\btonight\b|\btoday\b"
         r"|\b(?:an|one|two|few|couple of) hours? ago\b|\bjust now\b|\bminutes ago\b", 0.4),
        # A clock time or a meal it started at: "since 0600", "since about 3am", "woke me up at 5am", "since lunch".
        (rf"\b(?:since|from)\s+(?:about\s+|around\s+|approx\.?\s+|roughly\s+)?(?:{_CLOCK}|midnight|midday|noon|"
         r"lunch(?:time)?|breakfast|dinner(?:time)?|tea(?:time)?|waking(?: up)?|i woke(?: up)?|earlier(?: today| on)?)"
         r"|\b(?:woke|woken|waking|started|began|begun|came on)\b[a-z ]{0,12}?"
         rf"\bat\s+(?:about\s+|around\s+)?{_CLOCK}",
         0.4),
        (r"\b(?:for|over) (?:a few |several |some )?weeks\b", 21.0),
        (r"\b(?:for|over) (?:a few |several |some )?days\b", 3.0),
    )
)  # fmt: skip
_DECIMAL = r"(\d{2,3}(?:[.,]\d{1,2})?)"
_TEMPERATURE = (
    re.compile(
        r"\b(?:temp(?:erature)?s?|t|fever|pyrexia|pyrexial|febrile|spiked|running)\s*(?:of|was|is|at|to|up to|"
        r"around|about|=|:|reading|reached|went up to|hit|peaked at|max)?\s*(?:of\s+)?"
        rf"{_DECIMAL}\s*(?:°|º|degrees?|deg)?\s*([cf])?\b"
    ),
    re.compile(rf"\b{_DECIMAL}\s*(?:°|º|degrees?|deg)\s*([cf])?\b"),
    re.compile(rf"\b{_DECIMAL}\s*([cf])\b"),
    # A reading named by the instrument: "the thermometer under her arm reads 38.3".
    re.compile(
        r"\b(?:thermometer|forehead scanner|ear scanner)\b[a-z ]{0,30}?\b(?:reads?|reading|says|said|shows?|showed|"
        rf"showing|is|was|at|on|of|gave|gives|went up to)\s*(?:of\s+)?{_DECIMAL}\s*(?:°|º|degrees?|deg)?\s*([cf])?\b"
    ),
)
_PULSE = (
    re.compile(
        r"\b(?:hr|heart ?rate|pulse(?: rate)?|p|pr)\s*(?:of|is|was|at|=|:|reading|around|about)?\s*(\d{2,3})\b(?!\s*/)"
    ),
    re.compile(r"\b(\d{2,3})\s*(?:bpm|beats? (?:a|per|/) ?min(?:ute)?)"),
)
_BREATHING = (
    re.compile(r"\b(?:rr|resp(?:iratory)? ?rate|breathing rate)\s*(?:of|is|was|=|:|around|about)?\s*(\d{1,3})\b"),
    re.compile(r"\b(\d{1,3})\s*(?:breaths?) (?:a|per|/) ?min(?:ute)?"),
)
_BP = (
    re.compile(
        r"\b(?:bp|blood pressure)\s*(?:of|is|was|at|=|:|reading|readings?|around|about)?\s*(\d{2,3})\s*/\s*\d{2,3}"
    ),
    re.compile(r"\b(\d{2,3})\s*/\s*\d{2,3}\s*(?:mm ?hg)"),
)
_SATS = (
    re.compile(
        r"\b(?:sats?|spo2|sp02|o2 sats?|oxygen(?: level| saturation| sats?)?|saturations?)\s*(?:of|is|was|at|=|:|"
        r"around|about|down to|only)?\s*(\d{2,3})\s*%?"
    ),
)
_PAIN = (re.compile(r"(?<![\d/])(\d{1,2})\s*(?:/\s*10|out of 10|out of ten)\b"),)


def _number(text: str) -> float | None:
    text = text.strip()
    if text in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[text])
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def _unit_days(unit: str) -> float:
    u = unit.rstrip("s") if len(unit) > 3 else unit
    if u in _UNIT_DAYS:
        return _UNIT_DAYS[u]
    return {"w": 7.0, "mo": 30.0, "d": 1.0, "h": 1 / 24}.get(unit, 1.0)


def _durations(text: str, taken: list[tuple[int, int]]) -> list[Quantity]:
    out = []
    for m in _DURATION.finditer(text):
        number, unit, after = m.group(1), m.group(2), m.group(3)
        if after == "old" or re.search(r"(?:aged?|age of)\s*$", text[max(0, m.start() - 8) : m.start()]):
            continue  # an age ("a 3 year old", "aged 55 years"), not how long
        has_context = bool(after) or text[m.start() : m.start(1)].strip() != ""
        # "12h", "3d", "2w" written as one word: clinical shorthand for how long.
        shorthand = re.fullmatch(r"\d+(?:\.\d+)?(h|hrs?|d|w|wks?)", text[m.start(1) : m.end(2)]) is not None
        if not (has_context or shorthand):
            continue  # a bare "4 days" ("took 4 days off work") says nothing reliable
        if unit in ("h", "d", "w") and not re.match(r"\d", number):
            continue
        value = _number(number)
        if value is None:
            continue
        out.append(Quantity("days", value * _unit_days(unit), m.start(), m.end()))
    for m in _SLASH.finditer(text):
        tail = text[m.end() : m.end() + 3]
        if tail.startswith("0") or "/10" in text[m.start() : m.end() + 1]:
            continue
        value = _number(m.group(1))
        if value is not None:
            out.append(Quantity("days", value * _SLASH_DAYS[m.group(2)], m.start(), m.end()))
    for pattern, days in _PHRASES:
        for m in pattern.finditer(text):
            out.append(Quantity("days", days, m.start(), m.end()))
    for m in _ORDINAL_DAY.finditer(text):
        n = next(g for g in m.groups() if g)
        value = _ORDINALS.get(n) or _number(n)
        if value:
            out.append(Quantity("days", value - 0.5, m.start(), m.end()))
    kept = []
    for q in sorted(out, key=lambda q: (q.start, -(q.end - q.start))):
        if any(not (q.end <= a or q.start >= b) for a, b in taken):
            continue
        taken.append((q.start, q.end))
        if not _not_how_long(text, q):
            kept.append(q)
    return kept


_ORDINALS = {"first": 1.0, "second": 2.0, "third": 3.0, "fourth": 4.0, "fifth": 5.0, "sixth": 6.0, "seventh": 7.0}
_ORDINAL_DAY = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th) day\b|\bday (\d{1,2})\b(?!\s*/)(?! of (?:my|the|her|your) (?:cycle|period))"
    r"|\b(first|second|third|fourth|fifth|sixth|seventh) day\b"
)
# Where a length is not how long the problem has lasted:
# - an age or a stage of pregnancy ("6/52 old", "Baby boy 3/12,", "37 weeks pregnant", "born at 34 weeks");
_AGE_BEFORE = re.compile(r"\b(?:boy|girl|baby|infant|son|daughter|child|aged?|born at|at)\s*$")
_AGE_AFTER = re.compile(r"\s*(?:old|olds|o\b|pregnant|gestation|of pregnancy|along|check)")
# - how long one episode lasts, or how soon after a trigger ("lasting 30 seconds", "10 minutes each", "within 2h",
#   "3-4h every evening");
_EPISODE_BEFORE = re.compile(r"\b(?:within|lasting|lasts?|lasted|takes|took|settles?|for up to)\b[^,.;]{0,10}$")
_EPISODE_AFTER = re.compile(r"\s*(?:each|every|at a time|a time|per|apart|of (?:rest|eating|exercise|taking))\b")
# - how long ago an exposure was ("flew back 2 days ago", "had sex 10 days ago", "gave birth 4 weeks ago",
#   "stopped 2/7 ago"), or how long a habit or a medicine has gone on ("smoked for 30 years", "on lisinopril 5 yrs").
_EXPOSURE_AGO = re.compile(
    r"\b(?:birth|gave|delivered|deliver|flew|flight|flown|travel\w*|returned|got back|back from|sex|intercourse|"
    r"stopped|quit|lmp|op|operation|surgery|vaccin\w*|jab|ate|eaten)\b"
)
_HABIT = re.compile(r"\b(?:smok\w*|drink\w*|drank|vap\w*|pk|pack|married|worked|lived)\b")
# "On lisinopril 5 yrs", "been on prednisolone for years", "on the pill for 2 years" (a medicine's name has one of
# these endings; "ulcers on penis 4/7" is not a medicine).
_MEDICINE_BEFORE = re.compile(
    r"\b(?:on (?:the pill|[a-z]*(?:pril|olol|statin|pine|sartan|mab|one|ide|ine|zole|cillin|mycin|cycline|in|ol|"
    r"ate|am|ium))|taking [a-z]+)\s*(?:for\s*)?$"
)


def _not_how_long(text: str, q: Quantity) -> bool:
    """Whether a length found in the text is something other than how long the problem has lasted."""
    before = text[max(0, q.start - 40) : q.start]
    after = text[q.end : q.end + 20]
    clause = re.split(r"[.;,!?]|\band\b|\bbut\b|\bnow\b", before)[-1]
    number_first = re.match(r"\d", text[q.start : q.end]) is not None
    history = re.match(r"\s*(?:hx|history|ago|of)\b", after) is not None
    # A note that opens with "11/12," gives the age first; "2/52 cough" or "3d cough" at the start is how long.
    opens_with_age = "/" in text[q.start : q.end] and not text[: q.start].strip() and after.lstrip().startswith(",")
    if number_first and not history and (opens_with_age or _AGE_BEFORE.search(before[-16:]) or _AGE_AFTER.match(after)):
        return True
    if _EPISODE_BEFORE.search(before[-24:]) or _EPISODE_AFTER.match(after):
        return True
    if q.value < 1 / 24 and "ago" not in text[q.start : q.end + 4] and "since" not in text[q.start : q.end]:
        return True  # minutes or seconds: how long a spell lasts ("a 2 min fit")
    ago = re.match(r"\s*(?:ago|before|prior)\b", after) is not None or text[q.start : q.end].endswith("ago")
    return bool((ago and _EXPOSURE_AGO.search(clause)) or _HABIT.search(clause) or _MEDICINE_BEFORE.search(clause))


def not_how_long(text: str, start: int, end: int, days: float) -> bool:
    """Whether the length at text[start:end] is something other than how long the problem has lasted (an age, one
    episode, an exposure long ago, a habit)."""
    return _not_how_long(text.lower().replace("\u2019", "'"), Quantity("days", days, start, end))


def _readings(
    text: str, kind: str, patterns: tuple[re.Pattern[str], ...], taken: list[tuple[int, int]]
) -> list[Quantity]:
    out = []
    for pattern in patterns:
        for m in pattern.finditer(text):
            if any(not (m.end() <= a or m.start() >= b) for a, b in taken):
                continue
            value = _number(m.group(1))
            if value is None:
                continue
            if kind == "temperature_c":
                unit = m.group(2) if m.lastindex and m.lastindex >= 2 else None
                if unit == "f" or value > 50:
                    value = (value - 32) * 5 / 9
                if not 34.0 <= value <= 43.5:
                    continue
            taken.append((m.start(), m.end()))
            out.append(Quantity(kind, round(value, 1), m.start(), m.end()))
    return out


def quantities(text: str) -> list[Quantity]:
    """Every number the text gives, with what it measures, in the order of the text."""
    low = text.lower().replace("\u2019", "'")
    taken: list[tuple[int, int]] = []
    found = [
        *_readings(low, "systolic_bp", _BP, taken),
        *_readings(low, "pain_score", _PAIN, taken),
        *_readings(low, "oxygen_saturation", _SATS, taken),
        *_readings(low, "temperature_c", _TEMPERATURE, taken),
        *_readings(low, "heart_rate", _PULSE, taken),
        *_readings(low, "breathing_rate", _BREATHING, taken),
    ]
    found += _durations(low, taken)
    return sorted(found, key=lambda q: q.start)


# A sudden onset said in words the knowledge's phrases do not reach: "sudden" before the problem ("sudden agony",
# "sudden L sided weakness"), "all at once", "like being hit with a bat", "thunderclap", "abrupt".
_SUDDEN = re.compile(
    r"\bsudden(?:ly)?\b(?! urges?\b| need\b| death\b)|\ball of a sudden\b|\ball at once\b"
    r"|\bout of (?:nowhere|the blue)\b|\bin an instant\b|\bthunderclap\b"
    r"|\blike (?:being |been |i'd been |i was |getting )?(?:hit|struck|kicked|punched|smacked)\b"
    r"|\babrupt(?:ly)?\b|\bcame on (?:very |really )?(?:quickly|fast)\b"
    r"|\bwithin (?:a few |several )?(?:seconds|minutes)\b"
)
# "Died suddenly", "sudden death": a death, not how a problem came on.
_DEATH = re.compile(r"\b(?:died|dead|death|passed away|collapsed and died)\b")


def sudden_onsets(text: str) -> list[tuple[int, int]]:
    """The places where the text says a problem came on suddenly (character offsets)."""
    low = text.lower().replace("\u2019", "'")
    out = []
    for m in _SUDDEN.finditer(low):
        if not about_a_death(low, m.start(), m.end()):
            out.append((m.start(), m.end()))
    return out


def about_a_death(text: str, start: int, end: int) -> bool:
    """Whether the words around text[start:end] speak of a death ("my uncle died suddenly")."""
    return _DEATH.search(text[max(0, start - 20) : end + 16].lower()) is not None
