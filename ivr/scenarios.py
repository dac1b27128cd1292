"""Conversation tests staff write: play each through `ivr.play` and check what was heard.

A test file is a list of conversations in YAML (quote "*" and "#", or say star and pound):

    - name: symptoms by phone        # optional: shown when the test fails
      call: [2]                      # keys (1-9, *, #, 0), words (speech) or "" (silence)
      hear: lump that does not hurt  # must be among what was heard, or a list that all must be
    - text: symptoms                 # one text, or a list of texts in order
      reply: lump
    - name: repeat a topic           # several checks in one conversation
      steps:
        - call: [2]
          hear: lump
        - call: ["*"]
          hear: lump
          not hear: Goodbye          # must not be heard

Each check is on what was heard (or read) in answer to its step's inputs, ignoring case and line
breaks; `call: []` hears the greeting. After a transfer the next input is how the call ended (see
`ivr.play`).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import yaml

from ivr import play
from ivr.engine import Conversation
from ivr.play import Call, Hear, Read, Texting


@dataclass(frozen=True)
class Step:
    """What the person does in one step, what they must hear or read, and what they must not."""

    channel: str  # "call" or "text"
    inputs: tuple[str, ...]
    expect: tuple[str, ...]
    absent: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Scenario:
    """One conversation to play, with its checks."""

    name: str
    line: int
    steps: tuple[Step, ...]


class ScenarioError(Exception):
    """The test file cannot be read; `lines()` says where and why."""

    def __init__(self, path: str, line: int, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path}:{line}: {message}")


EXPECT = {"call": "hear", "text": "reply"}
STEP_KEYS = {"call", "text", "hear", "reply", "not hear", "not reply"}


def load_scenarios(path: str) -> list[Scenario]:
    """Read a conversation test file.

    :raises ScenarioError: if it cannot be read or is not in the format above.
    """
    try:
        with open(path, encoding="utf-8") as f:
            root = yaml.compose(f, Loader=yaml.SafeLoader)
    except OSError as e:
        raise ScenarioError(path, 0, f"cannot read the file: {e.strerror or e}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        mark = getattr(e, "problem_mark", None)
        raise ScenarioError(path, mark.line + 1 if mark else 1,
                            f"this is not valid YAML: {e}") from None
    if not isinstance(root, yaml.SequenceNode):
        raise ScenarioError(path, _line(root) if root else 1,
                            "the file should be a list of conversations, each starting with -")
    return [_scenario(path, n, i) for i, n in enumerate(root.value, 1)]


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _scenario(path: str, node: yaml.Node, number: int) -> Scenario:
    fields = _mapping(path, node)
    name = str(fields.pop("name", (f"conversation {number}", node))[0])
    if "steps" in fields:
        steps_node = fields.pop("steps")[1]
        if fields:
            raise ScenarioError(path, _line(node), "write either steps: or one step's "
                                f"call:/text:, not both (found {', '.join(fields)})")
        if not isinstance(steps_node, yaml.SequenceNode) or not steps_node.value:
            raise ScenarioError(path, _line(steps_node), "steps: should be a list of steps")
        steps = tuple(_step(path, s, _mapping(path, s)) for s in steps_node.value)
    else:
        steps = (_step(path, node, fields),)
    if len({s.channel for s in steps}) > 1:
        raise ScenarioError(path, _line(node), "a conversation is a call or a text, not both")
    return Scenario(name, _line(node), steps)


def _mapping(path: str, node: yaml.Node) -> dict[str, tuple[object, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        raise ScenarioError(path, _line(node), "each conversation and step should be "
                            "`name: value` lines, such as call: [2] and hear: lump")
    out = {}
    for k, v in node.value:
        out[str(k.value)] = (yaml.safe_load(yaml.serialize(v)), v)
    return out


def _step(path: str, node: yaml.Node, fields: dict[str, tuple[object, yaml.Node]]) -> Step:
    unknown = set(fields) - STEP_KEYS - {"name"}
    if unknown:
        raise ScenarioError(path, _line(node), f"unknown setting {sorted(unknown)[0]!r}; a step "
                            "has call: or text:, then hear:/reply: and not hear:/not reply:")
    channels = [c for c in EXPECT if c in fields]
    if len(channels) != 1:
        raise ScenarioError(path, _line(node), "each step needs call: (keys, words or \"\" for "
                            "silence) or text: (what is texted), but not both")
    channel = channels[0]
    wrong = {"call": "reply", "text": "hear"}[channel]
    if wrong in fields or f"not {wrong}" in fields:
        raise ScenarioError(path, _line(node), f"a {channel} step checks {EXPECT[channel]}:, "
                            f"not {wrong}:")
    return Step(channel, _strings(fields[channel][0], allow_empty=True),
                _strings(fields.get(EXPECT[channel], ([], node))[0]),
                _strings(fields.get(f"not {EXPECT[channel]}", ([], node))[0]), _line(node))


def _strings(value: object, allow_empty: bool = False) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    out = tuple("" if v is None else str(v) for v in items)
    return out if allow_empty else tuple(s for s in out if s.strip())


@dataclass(frozen=True)
class Failure:
    """A conversation that went wrong: at which step, what was missed, and what was heard."""

    scenario: Scenario
    step: int  # 1-based
    message: str
    heard: tuple[str, ...]

    def lines(self, path: str, width: int = 100) -> list[str]:
        """Say the failure as `FILE:LINE: name: step N (...): what`, then what was heard."""
        step = self.scenario.steps[self.step - 1]
        did = ", ".join(repr(i) if i.strip() == "" else i for i in step.inputs) or "start"
        verb = "heard" if step.channel == "call" else "read"
        head = (f"{path}:{step.line}: {self.scenario.name}: step {self.step} "
                f"({step.channel} {did}): {self.message}; {verb} instead:")
        return [head, *(textwrap.fill(h, width, initial_indent="    ", subsequent_indent="    ",
                                      break_long_words=False, break_on_hyphens=False)
                        for h in self.heard or ["(nothing)"])]


def plain(text: str) -> str:
    """Return text as checks compare it: straight quotes, one case, single spaces."""
    text = text.translate(str.maketrans("‘’“”", "''\"\""))
    return " ".join(text.casefold().split())


def run_scenario(conversation: Conversation, scenario: Scenario, hear: Hear | None = None,
                 read: Read | None = None) -> Failure | None:
    """Play one conversation and check each step; return the first failure, or None."""
    # A conversation is all one channel (checked when loading), so one player serves it.
    calling = scenario.steps[0].channel == "call"
    call = Call(conversation, hear or play.speech()) if calling else None
    text = None if calling else Texting(conversation, read or play.texting())
    for number, step in enumerate(scenario.steps, 1):
        heard: list[str] = []
        if call is not None:
            if call.state is None:
                greeting = call.start()
                heard += greeting if not step.inputs else []  # `call: []` checks the greeting
            for item in step.inputs:
                heard += call.do(item)
        elif text is not None:
            for item in step.inputs:
                heard += text.send(item)
        said = plain("\n".join(heard))
        verb = "hear" if step.channel == "call" else "read"
        for words in step.expect:
            if plain(words) not in said:
                return Failure(scenario, number, f"expected to {verb} {words!r}", tuple(heard))
        for words in step.absent:
            if plain(words) in said:
                return Failure(scenario, number, f"expected not to {verb} {words!r}",
                               tuple(heard))
    return None


def run_file(conversation: Conversation, path: str, hear: Hear | None = None,
             read: Read | None = None) -> tuple[int, list[Failure]]:
    """Run every conversation in a test file; return how many ran and the failures.

    :raises ScenarioError: if the file cannot be read.
    """
    scenarios = load_scenarios(path)
    failures = [f for s in scenarios if (f := run_scenario(conversation, s, hear, read))]
    return len(scenarios), failures
