"""Load menus.yaml into a `Menu`, or say every problem as `menus.yaml:LINE: what to fix`.

The file is composed into YAML nodes (never executed: safe-loader tags only) so each problem can
name the line of the value at fault. Shape checks are driven by the field tables in `ivr.fields`,
which `ivr schema` also turns into a JSON Schema, so the loader and editors agree.
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
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
from ivr.shapes import Problem, Shapes, line_of, value, yaml_problem
from ivr.suggest import did_you_mean

# libyaml's composer is about ten times faster on a large menu; plain Python where it is missing.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Z][a-z]{3})?-[A-Z]{2}")  # en-US, cmn-Hans-CN
VOICE = re.compile(r"(Polly|Google)\.[A-Za-z0-9-]+|man|woman|alice")


class MenuError(Exception):
    """The menu file cannot be used; `problems` says every reason, each at its line."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = sorted(problems, key=lambda p: p.line)
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """Return each problem as `path:LINE: message`."""
        # Line 0 is the file as a whole (it could not be read): no line to name.
        return [f"{self.path}:{p.line}: {p.message}" if p.line else f"{self.path}: {p.message}"
                for p in self.problems]


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
    builder = _Builder(name, text.splitlines())
    with gc_paused():
        try:
            root = yaml.compose(text, Loader=LOADER)
        except yaml.YAMLError as e:
            raise MenuError(name, [yaml_problem(e, text)]) from None
        try:
            menu = builder.build(root, hashlib.sha256(data).hexdigest()[:12])
        except Exception as e:  # a bug of ours must reach staff as a message, not a traceback
            builder.bad(1, f"the checker failed on this file ({type(e).__name__}: {e}); "
                        "please report this to the line's developers")
            menu = None
        del root  # the node tree is garbage now: freed at once, as it holds no cycles
    if menu is None and not builder.problems:  # every refusal must say why, at a line
        builder.bad(1, "the file could not be used, and the checker found no reason; please "
                    "report this to the line's developers")
    if builder.problems or menu is None:
        raise MenuError(name, builder.problems)
    return menu


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a menu is built.

    A large menu is a few hundred thousand YAML nodes, all new and all alive: each automatic
    collection walks them again, which took two thirds of loading 10,000 topics. They hold no
    reference cycles, so nothing is left for the collector to find afterwards.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class _Builder(Shapes):
    """Walk the YAML nodes once, building the model and noting every problem."""

    def __init__(self, name: str, source: list[str]) -> None:
        super().__init__()
        self.name = name
        self.source = source  # the file's lines, to place problems inside a block of text
        self.ids: dict[str, tuple[str, int]] = {}  # id -> (kind, line)

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
        self.ids[key] = (kind, line_of(knode))
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
                out[key] = Transfer(key, got["title"][0], number, line_of(knode), words)
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
        self.speech_settings(got)
        extra: dict[str, Any] = {k: got[k][0] for k in ("voice", "language", "notice") if k in got}
        if "emergency" in got:
            extra["emergency"] = tuple(w for w, _ in got["emergency"][0])
        lines = {k: line_of(n) for k, (_, n) in got.items()}
        return Settings(got["name"][0], greeting, person[0], lines=lines, **extra) if (
            greeting and person) else None

    def speech_settings(self, got: dict[str, tuple[Any, yaml.Node]]) -> None:
        # Twilio rejects a <Gather> or <Say> with a language or voice it does not know, and the
        # caller would hear nothing they can answer: catch the shape of a typo here.
        if "language" in got and not LANGUAGE.fullmatch(got["language"][0]):
            self.bad(got["language"][1], f"language: '{got['language'][0]}' is not a language "
                     "code Twilio knows; write it like en-US or es-MX")
        if "voice" in got and not VOICE.fullmatch(got["voice"][0]):
            self.bad(got["voice"][1], f"voice: '{got['voice'][0]}' is not a Twilio voice; write "
                     "one like Polly.Joanna-Neural or Google.en-US-Neural2-F")

    def menu_nodes(self, entry: tuple[Any, yaml.Node] | None) -> list[MenuNode]:
        out = []
        for key, knode, vnode in self.mapping(entry[1], "menus:") if entry else []:
            got = self.fields(vnode, F.MENU, f"menu '{key}'")
            if not self.new_id(key, knode, "menu"):
                continue
            options = self.option_list(got["options"][1], key) if "options" in got else ()
            prompt = self.text(*got["prompt"]) if "prompt" in got else None
            title = got["title"][0] if "title" in got else key.replace("-", " ")
            out.append(MenuNode(key, title, options, prompt, line_of(knode)))
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
            target = value(vnode) if isinstance(vnode, yaml.ScalarNode) else None
            if not isinstance(target, str) or not target.strip():
                self.bad(vnode, f"option {key} should name the id of a topic, menu or "
                         "transfer line")
                continue
            options.append(Option(key, target.strip(), line_of(vnode)))
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
                line_of(knode), {k: line_of(n) for k, (_, n) in got.items()},
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
            self.check_placeholder(m.group(0), m.group(1).strip(), node)
        parts.append(value[at:])
        return Text(tuple(p for p in parts if p != ""))

    def of_kind(self, kind: str) -> list[str]:
        return [id for id, (k, _) in self.ids.items() if k == kind]

    def check_placeholder(self, written: str, name: str, node: yaml.Node) -> None:
        if self.ids.get(name, ("",))[0] == "transfer line":
            return  # by id, not by listing every id: 10,000 topics name a line 10,000 times
        transfers = self.of_kind("transfer line")
        # Name the line the placeholder is written on, even inside a folded block of text.
        first, last = node.start_mark.line, node.end_mark.line
        at = next((i for i in range(first, min(last + 1, len(self.source)))
                   if written in self.source[i]), first)
        self.bad(at + 1, f"{written} is not a transfer line" + did_you_mean(name, transfers)
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
