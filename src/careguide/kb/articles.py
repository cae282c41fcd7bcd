"""Written guides: ``articles/<condition>.md``, YAML front matter then Markdown with fixed sections.

Facts are cited inline as ``[@source_id]``; every cited id must be in the front matter's ``sources``
and in ``sources.yaml``. A guide is "not_reviewed" until a real, named reviewer signs it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from careguide.kb.problems import Problem
from careguide.kb.schema import Id, Text, _Model
from careguide.kb.yamlfile import YamlDoc, parse_yaml

__all__ = ["CITATION", "OPTIONAL_SECTIONS", "REQUIRED_SECTIONS", "Article", "ArticleMeta", "read_articles"]

REQUIRED_SECTIONS: tuple[str, ...] = (
    "What it is",
    "Who gets it",
    "Symptoms",
    "Causes and risk factors",
    "How it is diagnosed",
    "Treatment",
    "When to get help",
)
OPTIONAL_SECTIONS: tuple[str, ...] = ("Living with it",)
# "Living with it" comes last, after "When to get help".
_ORDER = REQUIRED_SECTIONS + OPTIONAL_SECTIONS
CITATION = re.compile(r"\[@([a-z][a-z0-9_]*)\]")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
# Where a link or image points: inline ``[text](url)`` / ``![alt](url)`` and reference definitions
# ``[id]: url``. Only the web (http, https), e-mail (mailto) and anchors in the page (#...) are allowed.
_INLINE_TARGET = re.compile(r"\]\(\s*<?([^)>]*)")
_REFERENCE_TARGET = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?([^>]*)")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))


class ArticleMeta(_Model):
    condition: Id
    title: Text
    updated: date
    review_status: Literal["not_reviewed", "reviewed"]
    reviewed_by: Text | None = None  # the reviewer's name and role, as the organisation records it
    reviewed_on: date | None = None
    sources: list[Id] = Field(min_length=1)
    summary: Text

    @model_validator(mode="after")
    def _review_signed(self) -> ArticleMeta:
        if self.review_status == "reviewed" and not (self.reviewed_by and self.reviewed_on):
            raise ValueError("a reviewed article needs `reviewed_by` and `reviewed_on`")
        if self.review_status == "not_reviewed" and (self.reviewed_by or self.reviewed_on):
            raise ValueError("`reviewed_by` / `reviewed_on` are only for review_status: reviewed")
        return self


@dataclass(frozen=True)
class Article:
    meta: ArticleMeta
    body: str  # Markdown after the front matter
    path: Path
    body_line: int  # line number of the body's first line in the file

    @property
    def sections(self) -> dict[str, str]:
        """H2 section title -> its Markdown."""
        out: dict[str, str] = {}
        current: str | None = None
        lines: list[str] = []
        for line in self.body.splitlines():
            m = _HEADING.match(line)
            if m and len(m.group(1)) == 2:
                if current is not None:
                    out[current] = "\n".join(lines).strip()
                current, lines = m.group(2), []
            elif current is not None:
                lines.append(line)
        if current is not None:
            out[current] = "\n".join(lines).strip()
        return out


def _link_problem(target: str) -> str | None:
    """Why a link or image target is refused, or None. A browser decodes character references, drops tabs and
    newlines anywhere and control characters and spaces at the ends ("jav&#x61;script:", "java<tab>script:"),
    so the scheme is read as it would read it."""
    url = re.sub(r"[\t\n\r]", "", html.unescape(target)).strip(_C0_AND_SPACE)
    m = _SCHEME.match(url)
    if m is None:
        return None  # in-page anchors and relative addresses have no scheme
    scheme = m.group(1).lower()
    if scheme in ALLOWED_SCHEMES:
        return None
    shown = target.strip()
    return f"link or image with the scheme {scheme!r} ({shown}); only http, https, mailto and #anchors are allowed"


def _check_body(article: Article, problems: list[Problem]) -> None:
    def add(offset: int, message: str) -> None:
        problems.append(Problem(article.path, article.body_line + offset, message))

    seen: list[tuple[str, int]] = []
    for i, line in enumerate(article.body.splitlines()):
        m = _HEADING.match(line)
        if m and len(m.group(1)) == 1:
            add(i, "use ## for sections; the title comes from `title`")
        elif m and len(m.group(1)) == 2:
            heading = m.group(2)
            if heading in _ORDER:
                seen.append((heading, article.body_line + i))
            else:
                add(i, f"unknown section {heading!r}; expected one of: {', '.join(_ORDER)}")
        for cited in CITATION.findall(line):
            if cited not in article.meta.sources:
                add(i, f"cites [@{cited}], which is not in the front matter's sources")
        if re.search(r"<[a-zA-Z/][^>]*>", line):
            add(i, "HTML is not allowed in guides")
        for target in [*_INLINE_TARGET.findall(line), *_REFERENCE_TARGET.findall(line)]:
            problem = _link_problem(target)
            if problem:
                add(i, problem)
    headings = [h for h, _ in seen]
    for required in REQUIRED_SECTIONS:
        if required not in headings:
            add(0, f"missing section '## {required}'")
    ranks = [_ORDER.index(h) for h in headings]
    for (heading, line_no), prev, cur in zip(seen[1:], ranks, ranks[1:], strict=False):
        if cur <= prev:
            problems.append(Problem(article.path, line_no, f"section {heading!r} is out of order or repeated"))
    cited_anywhere = set(CITATION.findall(article.body))
    for sid in article.meta.sources:
        if sid not in cited_anywhere:
            problems.append(Problem(article.path, 1, f"source {sid!r} is listed but never cited in the text"))


def read_articles(root: Path, problems: list[Problem]) -> list[tuple[Article, YamlDoc]]:
    """Parse ``root/articles/*.md``; per-file problems go to ``problems``."""
    out = []
    for path in sorted((root / "articles").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        if not lines or lines[0].strip() != "---":
            problems.append(Problem(path, 1, "a guide starts with YAML front matter between '---' lines"))
            continue
        try:
            end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        except StopIteration:
            problems.append(Problem(path, 1, "front matter is not closed with '---'"))
            continue
        doc = parse_yaml(path, "\n".join(lines[1:end]), problems, first_line=2)
        if doc is None:
            continue
        if not isinstance(doc.data, dict):
            problems.append(Problem(path, 2, "front matter must be a mapping of keys"))
            continue
        from careguide.kb.loader import parse_model  # the loader imports this module

        meta = parse_model(ArticleMeta, doc.data, doc, (), problems)
        if meta is None:
            continue
        if meta.condition != path.stem:
            problems.append(doc.problem(("condition",), f"condition {meta.condition!r} differs from file name"))
        article = Article(meta, "\n".join(lines[end + 1 :]), path, end + 2)
        _check_body(article, problems)
        out.append((article, doc))
    return out
