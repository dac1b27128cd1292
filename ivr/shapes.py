"""Read the YAML nodes of menus.yaml against the tables in `ivr.fields`, noting problems by line."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml

from ivr import fields as F
from ivr.model import PLACEHOLDER
from ivr.suggest import did_you_mean


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the file, at a line."""

    line: int
    message: str


def yaml_problem(e: yaml.YAMLError, text: str) -> Problem:
    """Say a YAML syntax error at its line, with the likeliest fix."""
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    line = mark.line + 1 if mark else 1
    what = getattr(e, "problem", None) or str(e)
    hint = "check the indentation and that text with a colon (:) or # is in quotes"
    source = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    if "\t" in source[: len(source) - len(source.lstrip())]:
        hint = "use spaces, not tabs, to indent"
    return Problem(line, f"this is not valid YAML ({what}): {hint}")


SCALAR = yaml.SafeLoader("")
STR = "tag:yaml.org,2002:str"


def value(node: yaml.Node) -> Any:
    """Return a scalar node's Python value (int, date, str...), safely."""
    if node.tag == STR:
        # Most values are text: skip the constructor's bookkeeping. A copy, because the value
        # outlives the node tree: left among its nodes, it would keep the memory of a large
        # menu's tree (twice the menu's own size) from going back to the system after loading.
        return node.value.encode().decode()
    try:
        return SCALAR.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError, AttributeError):
        return node.value  # an explicit tag that does not fit (`!!int abc`): the words as written


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class Shapes:
    """Read YAML nodes against the field tables, noting each problem at its line."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def bad(self, node: yaml.Node | int, message: str) -> None:
        line = node if isinstance(node, int) else line_of(node)
        self.problems.append(Problem(line, message))

    # -- shapes ------------------------------------------------------------------------------

    def mapping(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node, yaml.Node]]:
        """Return a mapping's (key, key node, value node) triples; note duplicates and non-maps."""
        if not isinstance(node, yaml.MappingNode):
            self.bad(node, f"{what} should be a list of `name: value` lines, not {kind_of(node)}")
            return []
        seen: dict[str, int] = {}
        out = []
        for knode, vnode in node.value:
            key = value(knode) if isinstance(knode, yaml.ScalarNode) else None
            if key is None or isinstance(key, (list, dict)):
                self.bad(knode, f"{what} has a name that is not plain text")
                continue
            key = str(key)
            if key in seen:
                self.bad(knode, f"'{key}' appears twice in {what} (first at line {seen[key]}); "
                         "keep one")
                continue
            seen[key] = line_of(knode)
            out.append((key, knode, vnode))
        return out

    def fields(
        self, node: yaml.Node, table: dict[str, F.Field], what: str
    ) -> dict[str, tuple[Any, yaml.Node]]:
        """Check a mapping against a field table; return known fields' values and nodes."""
        got: dict[str, tuple[Any, yaml.Node]] = {}
        for key, knode, vnode in self.mapping(node, what):
            spec = table.get(key)
            if spec is None:
                self.bad(knode, f"{what} has an unknown setting '{key}'"
                         + did_you_mean(key, table) + f"; allowed: {', '.join(table)}")
                continue
            value = self.scalar_or_shape(vnode, spec, f"'{key}' in {what}")
            if value is not None:
                got[sys.intern(key)] = (value, vnode)  # one "title" for 10,000 topics
        if isinstance(node, yaml.MappingNode):
            for key, spec in table.items():
                if spec.required and key not in got and not self._has(node, key):
                    self.bad(node, f"{what} is missing '{key}' ({spec.help})")
        return got

    @staticmethod
    def _has(node: yaml.MappingNode, key: str) -> bool:
        return any(isinstance(k, yaml.ScalarNode) and str(k.value) == key for k, _ in node.value)

    def scalar_or_shape(self, node: yaml.Node, spec: F.Field, what: str) -> Any:
        if spec.kind in ("options", "section"):
            return node  # checked by the builders that know what belongs inside
        if spec.kind == "keywords":
            if isinstance(node, yaml.ScalarNode):
                node = yaml.SequenceNode("tag:yaml.org,2002:seq", [node], node.start_mark)
            if not isinstance(node, yaml.SequenceNode):
                self.bad(node, f"{what} should be a list, like [word, another phrase]")
                return None
            words = []
            for item in node.value:
                v = value(item) if isinstance(item, yaml.ScalarNode) else None
                if v is None or isinstance(v, (list, dict)) or str(v).strip() == "":
                    self.bad(item, f"{what} should hold words or phrases, one per item")
                    continue
                words.append((str(v).strip(), item))
            return words
        if not isinstance(node, yaml.ScalarNode):
            self.bad(node, f"{what} should be {spec.describe()}, not {kind_of(node)}")
            return None
        got = value(node)
        if spec.kind == "date":
            if not isinstance(got, date):
                self.bad(node, f"{what} should be a date written like 2026-01-31")
                return None
            return got
        if got is None or (isinstance(got, str) and not got.strip()):
            self.bad(node, f"{what} is empty; write {spec.describe()} or remove the line")
            return None
        if spec.kind == "number":
            return got
        if isinstance(got, bool):
            self.bad(node, f"{what} reads as yes/no to YAML; put the words in quotes")
            return None
        if spec.kind == "str" and PLACEHOLDER.search(str(got)):
            self.bad(node, f"{what} cannot hold a {{line}} placeholder (only greeting, prompt, "
                     "answer, voice and sms can); write the words here")
            return None
        return str(got).strip() if spec.kind != "text" else str(got)


def kind_of(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a list of `name: value` lines"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return "a single value"
