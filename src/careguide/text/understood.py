"""What typed words name: the one complaint they name, and the parts not understood (for the person to check)."""

from __future__ import annotations

import re

from careguide.kb import Finding, Knowledge
from careguide.text import Parsed

__all__ = ["named_complaint", "named_complaints", "not_understood"]

# Words that carry no symptom of their own: who, when, how much. A part made only of these is not shown as
# "not understood" (the age and who it is about are read elsewhere; durations are answers).
_FILLER = frozenset(
    """a about after ago all also am an and any are as at bad badly bit been before being but by can could day days
    did do does for from had has have having he her him his how i i'm im is it it's its just last lately like little
    lot me mine month months more morning much my myself night no not now of off on or our out over past really
    she since so some still that the their them then there they this though to today too very was we week weeks
    were what when which while with without worse year years yesterday you your old aged son daughter child baby
    boy girl husband wife partner mum mom dad mother father kid kids toddler he's she's ive i've been feel feels
    feeling got get getting keep keeps started start hours hour minutes""".split()  # noqa: SIM905 (a word list reads better as text)
)
_BETWEEN = re.compile(r"[,.;:!?\n]|\b(?:and|but|with)\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z']+")


def named_complaints(knowledge: Knowledge, parsed: Parsed) -> list[Finding]:
    """The main complaints the words name, in the order they are first mentioned."""
    return [knowledge.finding(r) for r in parsed.present if ":" not in r and knowledge.finding(r).complaint]


def named_complaint(knowledge: Knowledge, parsed: Parsed) -> Finding | None:
    """The one main complaint the words name, or None when they name none or several (then the person
    chooses). "back pain" and "my lower back has hurt for months" both name back pain."""
    named = named_complaints(knowledge, parsed)
    return named[0] if len(named) == 1 else None


def not_understood(text: str, parsed: Parsed, limit: int = 5) -> list[str]:
    """The parts of the text (between commas, full stops, "and", "but", "with") that nothing was read from and
    that hold a word of substance, so the person can see what was not used and say it another way."""
    spans = [(m.start, m.end) for m in parsed.mentions]
    out: list[str] = []
    cuts = [0, *(i for m in _BETWEEN.finditer(text) for i in m.span()), len(text)]
    for start, end in zip(cuts[::2], cuts[1::2], strict=True):
        if any(s < end and e > start for s, e in spans):
            continue  # something was read from this part
        part = text[start:end]
        if [w for w in _WORD.findall(part.lower()) if len(w) > 2 and w not in _FILLER]:
            out.append(" ".join(part.split())[:80])
        if len(out) == limit:
            break
    return out
