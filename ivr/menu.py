"""Load menus.yaml into a `Menu`, or say every problem as `menus.yaml:LINE: what to fix`.

The file is composed into YAML nodes (never executed: safe-loader tags only) so each problem can
name the line of the value at fault. Shape checks are driven by the field tables in `ivr.fields`,
which `ivr schema` also turns into a JSON Schema, so the loader and editors agree.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import phonenumbers
import yaml

from ivr import fields as F
from ivr.model import (
    NAV_KEYS,
    OPTION_KEYS,
    PLACEHOLDER,
    RESERVED_SMS_WORDS,
    LineRef,
    Menu,
    MenuNode,
    Option,
    Settings,
    Text,
    Topic,
    Transfer,
)
from ivr.suggest import did_you_mean


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the file, at a line."""

    line: int
    message: str


class MenuError(Exception):
    """The menu file cannot be used; `problems` says every reason, each at its line."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = sorted(problems, key=lambda p: p.line)
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """Return each problem as `path:LINE: message`."""
        return [f"{self.path}:{p.line}: {p.message}" for p in self.problems]


def load_menu(path: str | Path) -> Menu:
    """Read and check a menu file.

    :raises MenuError: if the file is missing, is not YAML, or has any problem.
    """
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        raise MenuError(name, [Problem(0, f"cannot read the file: {e.strerror or e}")]) from None
    return parse_menu(raw, name)


def parse_menu(source: bytes | str, name: str = "menus.yaml") -> Menu:
    """Check menu text and build a `Menu` from it.

    :raises MenuError: if the text is not YAML or has any problem.
    """
    data = source.encode() if isinstance(source, str) else source
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        problem = Problem(line, "this line is not UTF-8 text; save as UTF-8")
        raise MenuError(name, [problem]) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        raise MenuError(name, [_yaml_problem(e)]) from None
    builder = _Builder(name)
    try:
        menu = builder.build(root, hashlib.sha256(data).hexdigest()[:12])
    except Exception as e:  # a bug of ours must still reach staff as a message, not a traceback
        builder.bad(1, f"the checker failed on this file ({type(e).__name__}: {e}); "
                    "please report this to the line's developers")
        menu = None
    if builder.problems or menu is None:
        raise MenuError(name, builder.problems)
    return menu


def _yaml_problem(e: yaml.YAMLError) -> Problem:
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    line = mark.line + 1 if mark else 1
    what = getattr(e, "problem", None) or str(e)
    hint = "check the indentation and that text with a colon (:) or # is in quotes"
    if "\\t" in what or "\t" in what:
        hint = "use spaces, not tabs, to indent"
    return Problem(line, f"this is not valid YAML ({what}): {hint}")


_SCALAR = yaml.SafeLoader("")


def _value(node: yaml.Node) -> Any:
    """Return a scalar node's Python value (int, date, str...), safely."""
    try:
        return _SCALAR.construct_object(node, deep=True)
    except yaml.YAMLError:
        return node.value


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class _Builder:
    """Walk the YAML nodes once, building the model and noting every problem."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.ids: dict[str, tuple[str, int]] = {}  # id -> (kind, line)

    def bad(self, node: yaml.Node | int, message: str) -> None:
        line = node if isinstance(node, int) else _line(node)
        self.problems.append(Problem(line, message))

    # -- shapes ------------------------------------------------------------------------------

    def mapping(self, node: yaml.Node, what: str) -> list[tuple[str, yaml.Node, yaml.Node]]:
        """Return a mapping's (key, key node, value node) triples; note duplicates and non-maps."""
        if not isinstance(node, yaml.MappingNode):
            self.bad(node, f"{what} should be a list of `name: value` lines, not {_kind(node)}")
            return []
        seen: dict[str, int] = {}
        out = []
        for knode, vnode in node.value:
            key = _value(knode) if isinstance(knode, yaml.ScalarNode) else None
            if key is None or isinstance(key, (list, dict)):
                self.bad(knode, f"{what} has a name that is not plain text")
                continue
            key = str(key)
            if key in seen:
                self.bad(knode, f"'{key}' appears twice in {what} (first at line {seen[key]}); "
                         "keep one")
                continue
            seen[key] = _line(knode)
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
                got[key] = (value, vnode)
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
                v = _value(item) if isinstance(item, yaml.ScalarNode) else None
                if v is None or isinstance(v, (list, dict)) or str(v).strip() == "":
                    self.bad(item, f"{what} should hold words or phrases, one per item")
                    continue
                words.append((str(v).strip(), item))
            return words
        if not isinstance(node, yaml.ScalarNode):
            self.bad(node, f"{what} should be {spec.describe()}, not {_kind(node)}")
            return None
        value = _value(node)
        if spec.kind == "date":
            if not isinstance(value, date):
                self.bad(node, f"{what} should be a date written like 2026-01-31")
                return None
            return value
        if spec.kind == "number":
            return value
        if value is None or (isinstance(value, str) and not value.strip()):
            self.bad(node, f"{what} is empty; write {spec.describe()} or remove the line")
            return None
        if isinstance(value, bool):
            self.bad(node, f"{what} reads as yes/no to YAML; put the words in quotes")
            return None
        return str(value).strip() if spec.kind != "text" else str(value)

    # -- the model ---------------------------------------------------------------------------

    def build(self, root: yaml.Node | None, digest: str) -> Menu | None:
        if root is None:
            self.bad(1, "the file is empty; it needs line:, transfers:, menus: and topics:")
            return None
        top = self.fields(root, F.TOP, "the file")
        transfers = self.transfers(top.get("transfers"))
        menu_nodes = self.menu_nodes(top.get("menus"))
        topics = self.topics(top.get("topics"))
        settings = self.settings(top.get("line"), transfers)
        menus = {m.id: m for m in menu_nodes}
        self.check_options(menu_nodes)
        if top.get("menus") and "main" not in menus:
            self.bad(top["menus"][1], "there is no menu called 'main': every call and text "
                     "starts there" + did_you_mean("main", menus))
        self.check_texts(settings, topics)
        self.check_ways_out(menus)
        if self.problems or settings is None:
            return None
        return Menu(settings, transfers, menus, topics, self.name, digest)

    def new_id(self, key: str, knode: yaml.Node, kind: str) -> bool:
        if key in self.ids:
            other, line = self.ids[key]
            self.bad(knode, f"the id '{key}' is used twice (also a {other} at line {line}); "
                     "give each menu, topic and transfer line its own id")
            return False
        self.ids[key] = (kind, _line(knode))
        if not F.ID.fullmatch(key):
            fixed = F.slug(key)
            self.bad(knode, f"the {kind} id '{key}' can use only lowercase letters, digits and "
                     f"dashes (it goes in web addresses)" + (f"; try '{fixed}'" if fixed else ""))
            return False
        return True

    def transfers(self, entry: tuple[Any, yaml.Node] | None) -> dict[str, Transfer]:
        out: dict[str, Transfer] = {}
        for key, knode, vnode in self.mapping(entry[1], "transfers:") if entry else []:
            got = self.fields(vnode, F.TRANSFER, f"transfer line '{key}'")
            if not self.new_id(key, knode, "transfer line"):
                continue
            number = self.phone(*got["number"]) if "number" in got else None
            if "title" in got and number:
                words = tuple(w for w, _ in got.get("keywords", ([], None))[0])
                self.reserved_words(got.get("keywords"))
                out[key] = Transfer(key, got["title"][0], number, _line(knode), words)
        return out

    def phone(self, value: Any, node: yaml.Node) -> str | None:
        text = str(value).strip()
        if isinstance(value, int):
            # YAML reads an unquoted +16173556000 as the integer 16173556000, dropping the +.
            text = "+" + text
        try:
            number = phonenumbers.parse(text, "US")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            self.bad(node, f"'{value}' is not a phone number that can be dialled; write it with "
                     "the country code, in quotes, like \"+16173556000\"")
            return None
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def settings(
        self, entry: tuple[Any, yaml.Node] | None, transfers: dict[str, Transfer]
    ) -> Settings | None:
        if entry is None:
            return None
        got = self.fields(entry[1], F.LINE, "line:")
        person = got.get("person")
        if person and self.ids.get(person[0], ("",))[0] != "transfer line":
            self.bad(person[1], f"person: '{person[0]}' is not a transfer line"
                     + did_you_mean(person[0], transfers))
        if any(k not in got for k, f in F.LINE.items() if f.required):
            return None
        if person and person[0] not in transfers:
            return None
        greeting = self.text(*got["greeting"])
        extra = {k: got[k][0] for k in ("voice", "language", "notice") if k in got}
        lines = {k: _line(n) for k, (_, n) in got.items()}
        return Settings(got["name"][0], greeting, person[0], lines=lines, **extra) if (
            greeting and person) else None

    def menu_nodes(self, entry: tuple[Any, yaml.Node] | None) -> list[MenuNode]:
        out = []
        for key, knode, vnode in self.mapping(entry[1], "menus:") if entry else []:
            got = self.fields(vnode, F.MENU, f"menu '{key}'")
            if not self.new_id(key, knode, "menu"):
                continue
            options = self.option_list(got["options"][1], key) if "options" in got else ()
            prompt = self.text(*got["prompt"]) if "prompt" in got else None
            title = got["title"][0] if "title" in got else key.replace("-", " ")
            out.append(MenuNode(key, title, options, prompt, _line(knode)))
        return out

    def option_list(self, node: yaml.Node, menu: str) -> tuple[Option, ...]:
        options = []
        for key, knode, vnode in self.mapping(node, f"the options of menu '{menu}'"):
            if key in NAV_KEYS:
                self.bad(knode, f"key {key} cannot be an option: on every menu, * repeats, "
                         "# goes to the main menu and 0 reaches a person; use 1 to 9")
                continue
            if key not in OPTION_KEYS:
                self.bad(knode, f"'{key}' is not a key a caller can press; options use one "
                         "digit, 1 to 9")
                continue
            target = _value(vnode) if isinstance(vnode, yaml.ScalarNode) else None
            if not isinstance(target, str) or not target.strip():
                self.bad(vnode, f"option {key} should name the id of a topic, menu or "
                         "transfer line")
                continue
            options.append(Option(key, target.strip(), _line(vnode)))
        if not options and isinstance(node, yaml.MappingNode):
            self.bad(node, f"menu '{menu}' has no options, so a caller would have nowhere to "
                     "go; add at least one")
        return tuple(sorted(options, key=lambda o: o.key))

    def check_options(self, menus: list[MenuNode]) -> None:
        for m in menus:
            for o in m.options:
                if o.target not in self.ids:
                    self.bad(o.line, f"option {o.key} of menu '{m.id}' goes to '{o.target}', "
                             "which is not a topic, menu or transfer line"
                             + did_you_mean(o.target, self.ids))

    def topics(self, entry: tuple[Any, yaml.Node] | None) -> dict[str, Topic]:
        out: dict[str, Topic] = {}
        for key, knode, vnode in self.mapping(entry[1], "topics:") if entry else []:
            got = self.fields(vnode, F.TOPIC, f"topic '{key}'")
            if not self.new_id(key, knode, "topic"):
                continue
            texts = {k: self.text(*got[k]) for k in ("answer", "voice", "sms") if k in got}
            self.reserved_words(got.get("keywords"))
            if "title" not in got or texts.get("answer") is None:
                continue
            out[key] = Topic(
                key, got["title"][0], texts["answer"], texts.get("voice"), texts.get("sms"),
                tuple(w for w, _ in got.get("keywords", ([], None))[0]),
                got["reviewed"][0] if "reviewed" in got else None,
                got["source"][0] if "source" in got else None,
                _line(knode), {k: _line(n) for k, (_, n) in got.items()},
            )
        return out

    def reserved_words(self, entry: tuple[list[tuple[str, yaml.Node]], yaml.Node] | None) -> None:
        for word, node in entry[0] if entry else []:
            if word.upper() in RESERVED_SMS_WORDS:
                self.bad(node, f"'{word}' cannot be a keyword: carriers keep it for opting in "
                         "and out, so a text of it never reaches the menu; remove it")

    def text(self, value: str, node: yaml.Node) -> Text | None:
        # Keep the author's line breaks (they show in a text) but not stray spaces.
        value = "\n".join(" ".join(line.split()) for line in value.strip().splitlines())
        parts: list[str | LineRef] = []
        at = 0
        for m in PLACEHOLDER.finditer(value):
            parts += [value[at : m.start()], LineRef(m.group(1).strip())]
            at = m.end()
        parts.append(value[at:])
        return Text(tuple(p for p in parts if p != ""))

    def of_kind(self, kind: str) -> list[str]:
        return [id for id, (k, _) in self.ids.items() if k == kind]

    def check_texts(self, settings: Settings | None, topics: dict[str, Topic]) -> None:
        transfers = self.of_kind("transfer line")
        found: list[tuple[Text, int]] = []
        if settings:
            found.append((settings.greeting, settings.lines.get("greeting", 0)))
        for t in topics.values():
            for k in ("answer", "voice", "sms"):
                text = getattr(t, k)
                if text is not None:
                    found.append((text, t.lines.get(k, t.line)))
        for text, line in found:
            for p in text.parts:
                if isinstance(p, LineRef) and p.name not in transfers:
                    self.bad(line, f"{{{p.name}}} is not a transfer line"
                             + did_you_mean(p.name, transfers)
                             + ("; write one of " + ", ".join("{" + t + "}" for t in transfers)
                                if transfers else ""))

    def check_ways_out(self, menus: dict[str, MenuNode]) -> None:
        # A menu whose options only lead to other such menus would leave a caller going round.
        # (An option to an unknown id is reported on its own; it does not count as going round.)
        inner = set(self.of_kind("menu"))
        leads = {m.id: any(o.target not in inner for o in m.options) for m in menus.values()}
        changed = True
        while changed:
            changed = False
            for m in menus.values():
                if not leads[m.id] and any(leads.get(o.target) for o in m.options):
                    leads[m.id] = changed = True
        for m in menus.values():
            if m.options and not leads[m.id]:
                self.bad(m.line, f"menu '{m.id}' leads only to menus, never to a topic or a "
                         "transfer line; a caller would go round in circles")


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a list of `name: value` lines"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return "a single value"
