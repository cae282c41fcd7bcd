"""What a guide page shows: the written article rendered, or a page generated from the knowledge."""

from __future__ import annotations

import re
from dataclasses import dataclass

import markdown
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from careguide.kb import Condition, Knowledge
from careguide.kb.articles import CITATION, Article
from careguide.kb.schema import AGE_BANDS, AnswerType, FindingCategory, Source, Treatment

__all__ = [
    "GuideSection",
    "Symptom",
    "common_symptoms",
    "frequency_words",
    "render_article",
    "sources_for",
    "treatments_for",
    "warning_signs",
    "who_gets_it",
]

CARE_HELP = {
    "emergency": "This condition needs emergency care. Call {emergency} or go to the nearest emergency department now.",
    "urgent": "This condition needs to be seen by a doctor within 24 hours. Contact a doctor or call {urgent}.",
    "routine": "See a doctor in the coming days or weeks. Get help sooner if you get worse or new symptoms appear.",
    "self_care": "This can usually be looked after at home. See a doctor if it is not improving, gets worse, "
    "or new symptoms appear.",
}


@dataclass(frozen=True)
class GuideSection:
    title: str
    slug: str
    html: SafeString


@dataclass(frozen=True)
class Symptom:
    name: str
    probability: float

    @property
    def words(self) -> str:
        return frequency_words(self.probability)


def frequency_words(p: float) -> str:
    """A probability in plain words, e.g. 0.72 -> 'about 7 in 10 people'."""
    if p >= 0.95:
        return "almost everyone"
    if p >= 0.1:
        return f"about {round(p * 10)} in 10 people"
    return f"about {max(1, round(p * 100))} in 100 people"


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def render_article(article: Article) -> tuple[list[GuideSection], list[str]]:
    """HTML sections of a guide, with citations as numbered links; and the cited source ids in order."""
    order: list[str] = []

    def cite(m: re.Match[str]) -> str:
        sid = m.group(1)
        if sid not in order:
            order.append(sid)
        n = order.index(sid) + 1
        return f'<sup class="cite"><a href="#source-{sid}" aria-label="Source {n}">[{n}]</a></sup>'

    sections = []
    for title, body in article.sections.items():
        # Guides contain no HTML (the validator rejects it); citations become links before Markdown.
        html = markdown.markdown(CITATION.sub(cite, body), extensions=["sane_lists"], output_format="html")
        sections.append(GuideSection(title, _slug(title), mark_safe(html)))
    return sections, order


def common_symptoms(knowledge: Knowledge, condition: Condition, minimum: float = 0.3) -> list[Symptom]:
    """The condition's yes/no symptoms from the knowledge, most common first.

    Findings marked ``explains: false`` were recorded at visits for the condition without being caused by it
    (SymCat lists every reason given at a visit), so they are not the condition's symptoms."""
    out = []
    for fid, link in condition.findings.items():
        finding = knowledge.finding(fid)
        is_symptom = finding.type is AnswerType.YES_NO and finding.category is FindingCategory.SYMPTOM
        if is_symptom and link.explains and link.p is not None and link.p >= minimum:
            out.append(Symptom(finding.name, link.p))
    return sorted(out, key=lambda s: -s.probability)


def risk_factors(knowledge: Knowledge, condition: Condition) -> list[str]:
    """History and risk-factor findings that are clearly more common with the condition."""
    out = []
    for fid, link in condition.findings.items():
        finding = knowledge.finding(fid)
        if finding.category in (FindingCategory.RISK_FACTOR, FindingCategory.HISTORY) and link.p is not None:
            leak = finding.leak if finding.leak is not None else knowledge.pack.leak
            if link.p >= 2 * leak:
                out.append(finding.name)
    return out


def _band_range(band: str) -> tuple[int, int]:
    """An age band's years: "15-29" -> (15, 29), "75+" -> (75, 120)."""
    low, _, high = band.rstrip("+").partition("-")
    return int(low), int(high) if high else 120


def _ages_words(low: int, high: int) -> str:
    if high <= 0:
        return "babies under 1"
    if high <= 14:
        return "babies and children" if low == 0 else f"children aged {low} to {high}"
    if high >= 120:
        return "everyone" if low == 0 else f"people aged {low} and over"
    return f"people aged {low} to {high}" if low > 0 else f"children and people up to {high}"


def who_gets_it(condition: Condition) -> str | None:
    """Who the condition is most common in, from its prior's age and sex multipliers, in plain words.

    The ages are the bands whose multiplier is at least half the highest, joined into one range; the sex is
    named when one is at least twice as likely as the other. None when the prior gives no shape."""
    parts = []
    ages = {band: m for band, m in condition.prior.age.items() if band in AGE_BANDS}
    if ages and max(ages.values()) > 0 and len(set(ages.values())) > 1:
        top = max(ages.values())
        chosen = [_band_range(b) for b, m in ages.items() if m >= top / 2]
        parts.append(f"most common in {_ages_words(min(lo for lo, _ in chosen), max(hi for _, hi in chosen))}")
    female, male = condition.prior.sex.get("female", 1.0), condition.prior.sex.get("male", 1.0)
    if male == 0 or female >= 2 * male:
        parts.append("only in women and girls" if male == 0 else "much more common in women and girls")
    elif female == 0 or male >= 2 * female:
        parts.append("only in men and boys" if female == 0 else "much more common in men and boys")
    if not parts:
        return None
    text = ", ".join(parts)
    return text[0].upper() + text[1:] + "."


@dataclass(frozen=True)
class WarningSign:
    what: str  # the answers that make up the sign, in plain words
    level: str  # care level the sign calls for


def warning_signs(knowledge: Knowledge, condition: Condition, limit: int = 8) -> list[WarningSign]:
    """Signs that call for faster care with this condition: the red-flag rules that guard against it (their
    findings, most urgent first), then its own findings marked ``red_flag``."""

    def name(ref: str) -> str:
        fid, _, opt = ref.partition(":")
        f = knowledge.finding(fid)
        if opt:
            label = next((o.label for o in f.options if o.id == opt), f.name)
            return label if label[1:2] in (" ", "") or label[:2].isupper() else label[0].lower() + label[1:]
        return f.name[0].lower() + f.name[1:] if not f.name[:2].isupper() else f.name

    def joined(refs: list[str], word: str) -> str:
        # A finding asked only when its parent is present says the parent too ("fever for 5 days or more").
        parents = {knowledge.finding(r.partition(":")[0]).parent for r in refs}
        kept = [r for r in refs if r.partition(":")[0] not in parents]
        names = [name(r) for r in kept[:3]] + (["other warning signs"] if len(kept) > 3 else [])
        return f" {word} ".join(names)

    out: list[WarningSign] = []
    seen: set[str] = set()
    rules = [r for r in knowledge.rules if condition.id in r.conditions and r.level.rank >= 2]
    for rule in sorted(rules, key=lambda r: -r.level.rank):
        words = joined(rule.all, "with")
        if rule.any:
            either = joined(rule.any, "or")
            words = f"{words}, with {either}" if words else either
        if words and words not in seen:
            seen.add(words)
            out.append(WarningSign(words[0].upper() + words[1:], rule.level.value))
    for fid, link in condition.findings.items():
        if link.red_flag and not knowledge.finding(fid).complaint:
            words = name(fid)
            if words not in seen:
                seen.add(words)
                out.append(WarningSign(words[0].upper() + words[1:], condition.care.value))
    return out[:limit]


def treatments_for(knowledge: Knowledge, condition_id: str) -> list[Treatment]:
    return [t for t in knowledge.treatments if condition_id in t.conditions]


def sources_for(knowledge: Knowledge, condition: Condition, article: Article | None, cited: list[str]) -> list[Source]:
    """Cited sources first, in citation order, then the sources of the condition's figures and treatments."""
    ids = list(cited)
    extra = [condition.prior.source] + [link.source for link in condition.findings.values()]
    extra += [t.source for t in treatments_for(knowledge, condition.id)]
    if article is not None:
        extra += article.meta.sources
    for sid in extra:
        if sid and sid not in ids:
            ids.append(sid)
    return [knowledge.sources[s] for s in ids if s in knowledge.sources]


def care_help(level: str, emergency: str, urgent: str) -> str:
    return escape(CARE_HELP[level].format(emergency=emergency, urgent=urgent))
