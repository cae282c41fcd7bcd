"""Reading a knowledge pack directory into schema models, keeping where each came from.

Layout of a pack::

    pack.yaml              name, version, licence, defaults (schema.Pack)
    sources.yaml           list of schema.Source
    findings/*.yaml        lists of schema.Finding
    conditions/<id>.yaml   one schema.Condition per file, named for its id
    rules.yaml             list of schema.RedFlagRule (optional; also rules/*.yaml)
    treatments.yaml        list of schema.Treatment (optional; also treatments/*.yaml)

``sources``, ``rules`` and ``treatments`` may each be one file or a folder of files (``sources/*.yaml``...),
so that editors can keep, say, one file of complaint protocols per complaint. A *fragment* (see
:func:`read_pack`) is a pack without pack.yaml whose every part is optional: the general pack's sources
in ``knowledge/general/`` are one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from careguide.kb.articles import Article, ArticleMeta, read_articles
from careguide.kb.problems import Problem
from careguide.kb.schema import Condition, Finding, Pack, RedFlagRule, Source, Treatment
from careguide.kb.yamlfile import Loc, YamlDoc, read_yaml

__all__ = ["Located", "PackFiles", "parse_model", "read_pack"]

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Located(Generic[M]):
    """A parsed model and where it stands in its file, for error messages."""

    model: M
    doc: YamlDoc
    loc: Loc

    def problem(self, message: str, *sub: str | int) -> Problem:
        return self.doc.problem((*self.loc, *sub), message)


@dataclass
class PackFiles:
    root: Path
    pack: Located[Pack] | None = None
    sources: list[Located[Source]] = field(default_factory=list)
    findings: list[Located[Finding]] = field(default_factory=list)
    conditions: list[Located[Condition]] = field(default_factory=list)
    rules: list[Located[RedFlagRule]] = field(default_factory=list)
    treatments: list[Located[Treatment]] = field(default_factory=list)
    # Ids of entries that failed to parse: references to them are not reported again as unknown.
    unparsed: set[str] = field(default_factory=set)
    articles: list[Located[ArticleMeta]] = field(default_factory=list)
    article_bodies: dict[str, Article] = field(default_factory=dict)


def _message(err: dict[str, Any]) -> str:
    where = ".".join(str(p) for p in err["loc"] if p != "[key]")
    kind = err["type"]
    if kind == "extra_forbidden":
        return f"unknown key {where!r}"
    if kind == "missing":
        return f"missing required key {where!r}"
    msg = str(err["msg"]).removeprefix("Value error, ")
    if kind == "string_pattern_mismatch" and "[key]" in err["loc"]:
        msg = f"{err['input']!r} is not a valid id (lower-case letters, digits and _)"
    elif kind == "string_pattern_mismatch":
        msg = f"{err['input']!r} does not have the expected form"
    return f"{where}: {msg}" if where else msg


def parse_model(model: type[M], data: Any, doc: YamlDoc, loc: Loc, problems: list[Problem]) -> M | None:
    if not isinstance(data, dict):
        problems.append(doc.problem(loc, f"expected a mapping of keys for a {model.__name__.lower()}"))
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            problems.append(doc.problem((*loc, *err["loc"]), _message(dict(err))))
        return None


def _raw_id(data: Any) -> str | None:
    return str(data["id"]) if isinstance(data, dict) and "id" in data else None


def _read_list(
    path: Path, model: type[M], problems: list[Problem], required: bool, unparsed: set[str]
) -> list[Located[M]]:
    if not path.exists():
        if required:
            problems.append(Problem(path, 1, "file is missing"))
        return []
    doc = read_yaml(path, problems)
    if doc is None or doc.data is None:
        return []
    if not isinstance(doc.data, list):
        problems.append(doc.problem((), f"expected a list of {model.__name__.lower()} entries"))
        return []
    out = []
    for i, item in enumerate(doc.data):
        parsed = parse_model(model, item, doc, (i,), problems)
        if parsed is not None:
            out.append(Located(parsed, doc, (i,)))
        elif (raw := _raw_id(item)) is not None:
            unparsed.add(raw)
    return out


def _read_lists(
    root: Path, name: str, model: type[M], problems: list[Problem], required: bool, unparsed: set[str]
) -> list[Located[M]]:
    """``root/name.yaml`` and every ``root/name/*.yaml``, in that order."""
    out = _read_list(root / f"{name}.yaml", model, problems, required and not (root / name).is_dir(), unparsed=unparsed)
    for path in sorted((root / name).glob("*.yaml")):
        out.extend(_read_list(path, model, problems, required=True, unparsed=unparsed))
    return out


def read_pack(root: Path, fragment: bool = False) -> tuple[PackFiles, list[Problem]]:
    """Parse every file of the pack at ``root``; problems are per file, not yet across files.

    A ``fragment`` has no pack.yaml and may leave out any part; it is merged into a pack by a build.
    """
    problems: list[Problem] = []
    files = PackFiles(root)
    if not root.is_dir():
        return files, [Problem(root, 1, "knowledge pack directory does not exist")]

    pack_doc = read_yaml(root / "pack.yaml", problems) if (root / "pack.yaml").exists() else None
    if pack_doc is None and not (root / "pack.yaml").exists() and not fragment:
        problems.append(Problem(root / "pack.yaml", 1, "file is missing"))
    if pack_doc is not None:
        pack = parse_model(Pack, pack_doc.data, pack_doc, (), problems)
        if pack is not None:
            files.pack = Located(pack, pack_doc, ())

    files.sources = _read_lists(root, "sources", Source, problems, required=not fragment, unparsed=files.unparsed)
    files.rules = _read_lists(root, "rules", RedFlagRule, problems, required=False, unparsed=files.unparsed)
    files.treatments = _read_lists(root, "treatments", Treatment, problems, required=False, unparsed=files.unparsed)

    finding_files = sorted((root / "findings").glob("*.yaml"))
    if not finding_files and not fragment:
        problems.append(Problem(root / "findings", 1, "no findings/*.yaml files"))
    for path in finding_files:
        files.findings.extend(_read_list(path, Finding, problems, required=True, unparsed=files.unparsed))

    condition_files = sorted((root / "conditions").glob("*.yaml"))
    if not condition_files and not fragment:
        problems.append(Problem(root / "conditions", 1, "no conditions/*.yaml files"))
    for path in condition_files:
        doc = read_yaml(path, problems)
        if doc is None:
            files.unparsed.add(path.stem)
            continue
        condition = parse_model(Condition, doc.data, doc, (), problems)
        if condition is None:
            files.unparsed.add(_raw_id(doc.data) or path.stem)
            continue
        if condition.id != path.stem:
            problems.append(doc.problem(("id",), f"condition id {condition.id!r} differs from file name"))
        files.conditions.append(Located(condition, doc, ()))

    for article, adoc in read_articles(root, problems):
        files.articles.append(Located(article.meta, adoc, ()))
        files.article_bodies[article.meta.condition] = article
    return files, problems
