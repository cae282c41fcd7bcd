"""What a guide page shows: the written article rendered, or a page generated from the knowledge."""

from __future__ import annotations

import re
from dataclasses import dataclass

import markdown
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from careguide.kb import Condition, Knowledge
from careguide.kb.articles import CITATION, Article
from careguide.kb.schema import AnswerType, FindingCategory, Source, Treatment

__all__ = [
    "GuideSection",
    "Symptom",
    "common_symptoms",
    "frequency_words",
    "render_article",
    "sources_for",
    "treatments_for",
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
    """The condition's yes/no symptoms from the knowledge, most common first."""
    out = []
    for fid, link in condition.findings.items():
        finding = knowledge.finding(fid)
        is_symptom = finding.type is AnswerType.YES_NO and finding.category is FindingCategory.SYMPTOM
        if is_symptom and link.p is not None and link.p >= minimum:
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
