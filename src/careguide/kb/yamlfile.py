"""Reading YAML while remembering the line of every key and list item.

PyYAML forgets positions once it builds Python objects; error messages must say ``path:line``, so
we keep a map from each value's location (the keys and indexes that lead to it) to its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from careguide.kb.problems import Problem

__all__ = ["Loc", "YamlDoc", "parse_yaml", "read_yaml"]

Loc = tuple[str | int, ...]


@dataclass
class YamlDoc:
    path: Path
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line(self, loc: tuple[Any, ...] = ()) -> int:
        """Line of the deepest known location along ``loc`` (1 if nothing matches)."""
        keys = [k for k in loc if isinstance(k, str | int)]
        for end in range(len(keys), -1, -1):
            found = self.lines.get(tuple(keys[:end]))
            if found is not None:
                return found
        return 1

    def problem(self, loc: tuple[Any, ...], message: str) -> Problem:
        return Problem(self.path, self.line(loc), message)


# libyaml's loader when PyYAML was built with it: the same nodes and line marks, several times faster (the general
# pack is about 1,300 files).
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _walk(node: yaml.Node, loc: Loc, doc: YamlDoc, problems: list[Problem], first: int) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                problems.append(Problem(doc.path, key_node.start_mark.line + first, f"duplicate key {key!r}"))
            seen.add(key)
            doc.lines[(*loc, key)] = key_node.start_mark.line + first
            _walk(value_node, (*loc, key), doc, problems, first)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            doc.lines[(*loc, i)] = item.start_mark.line + first
            _walk(item, (*loc, i), doc, problems, first)


def parse_yaml(path: Path, text: str, problems: list[Problem], first_line: int = 1) -> YamlDoc | None:
    """Parse ``text`` (found at ``first_line`` of ``path``); on failure add a problem and return None."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + first_line if mark is not None else first_line
        problems.append(Problem(path, line, f"invalid YAML: {getattr(exc, 'problem', None) or exc}"))
        return None
    finally:
        loader.dispose()
    doc = YamlDoc(path, data, {(): first_line})
    if node is not None:
        _walk(node, (), doc, problems, first_line)
    return doc


def read_yaml(path: Path, problems: list[Problem]) -> YamlDoc | None:
    """Read and parse ``path``; on failure add a problem and return None."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(path, 1, f"cannot read file: {exc}"))
        return None
    return parse_yaml(path, text, problems)
