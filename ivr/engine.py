"""The conversation: where a caller or texter is, what they did, and what happens next.

Everything a person can do on either channel is decided here, as data: `Conversation.step` takes a
`State` and an event and returns a `Reply` that says what to tell them and where they are now. No
Flask, no Twilio, no I/O: `ivr.voice` and `ivr.sms` only say a `Reply` their own way.

The rules, in one place:
- a key 1-9 picks that option of the menu the person is in (after an answer, the menu it came from);
- `*` repeats what was just said, `#` goes to the main menu, `0` connects to the person line;
- words are matched to a topic or transfer line anywhere in the menu; two good fits are offered;
- a wrong key, words that match nothing, or silence add a miss; a good choice clears them;
  the third miss in a row ends in the person line: silence says its number and goodbye, anything
  else connects the call;
- a transfer that does not connect says the number to call back and offers the main menu;
- words that sound like an emergency (the line's `emergency:` list) get the emergency notice
  before anything else; words that only acknowledge ("thanks", "ok") are not a miss.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum

from ivr.matcher import Matcher
from ivr.model import Menu, MenuNode, Node, Option, Topic, Transfer

MAX_MISSES = 3
THANKS = "thanks"  # what _nav returns for words that only acknowledge


@dataclass(frozen=True)
class State:
    """Where a conversation is: the menu whose keys work, the answer just given, misses in a row."""

    menu: str = "main"
    topic: str | None = None
    misses: int = 0
    offered: tuple[str, ...] = ()  # ids of a "did you mean" list, picked by 1, 2, ...


@dataclass(frozen=True)
class Start:
    """A call comes in."""


@dataclass(frozen=True)
class Key:
    """A key pressed, or a number texted: 0-9, * or #."""

    key: str


@dataclass(frozen=True)
class Words:
    """Words said (speech) or texted."""

    text: str


@dataclass(frozen=True)
class Silence:
    """The person was asked and said nothing."""


@dataclass(frozen=True)
class DialEnded:
    """A transfer ended: Twilio's DialCallStatus (completed, answered, busy, no-answer, ...)."""

    line: str
    status: str


Event = Start | Key | Words | Silence | DialEnded


class Trouble(Enum):
    """Why the person is being helped back on track."""

    WRONG_KEY = "wrong-key"
    NOT_UNDERSTOOD = "not-understood"
    SILENCE = "silence"
    MOVED = "moved"  # the menu changed under a call in progress
    GONE_QUIET = "gone-quiet"  # silence, again and again: say the number and goodbye
    TOO_MANY = "too-many"  # wrong choices, again and again: connect to a person


@dataclass(frozen=True)
class Reply:
    """What to tell the person, in order, and where the conversation is after it."""

    state: State
    welcome: bool = False  # the first reply: the emergency notice and the line's name
    trouble: Trouble | None = None
    key: str | None = None  # the wrong key, to say it back
    answer: Topic | None = None
    menu: MenuNode | None = None  # a menu to offer
    brief: bool = False  # offer the menu's short form (after a miss)
    reminder: bool = False  # after an answer: say briefly what the keys do
    offered: tuple[Node, ...] = ()  # "did you mean": pick 1, 2, ... (also in state.offered)
    transfer: Transfer | None = None  # connect to this line
    failed: Transfer | None = None  # a transfer that did not connect: say its number
    end: bool = False  # say goodbye and hang up
    emergency: bool = False  # words that sound like an emergency: say to call 911 first
    thanks: bool = False  # "thanks", "ok": nothing to answer, and not a miss either


NAV_WORDS = {
    "*": ("repeat", "again", "say again", "say that again", "repeat that", "what"),
    "#": ("menu", "main menu", "start over", "back", "go back", "home", "start", "options",
          "hi", "hello", "hey", "hola", "good morning", "good afternoon"),
    THANKS: ("thanks", "thank you", "thank you so much", "thanks so much", "thanks a lot", "thx",
             "ty", "ok", "okay", "ok thanks", "ok thank you", "okay thanks", "got it", "great",
             "cool", "perfect", "no", "nope", "no thanks", "bye", "goodbye"),
}
NUMBER_WORDS = dict(zip(
    "zero one two three four five six seven eight nine star pound".split(),
    "0123456789*#", strict=True,
))
_WORD = re.compile(r"[^\w*#]+")


def _nav(text: str) -> str | None:
    """Return the key that words stand for ('2', 'two', 'main menu'), if they stand for one."""
    words = _WORD.sub(" ", text.lower()).split()
    if len(words) == 2 and words[0] in ("press", "option", "number", "choice", "pick"):
        words = words[1:]  # "press 2", "option three"
    if len(words) == 1 and words[0] in NUMBER_WORDS:
        return NUMBER_WORDS[words[0]]
    if len(words) == 1 and len(words[0]) == 1 and words[0] in "0123456789*#":
        return words[0]
    said = " ".join(words)
    return next((k for k, phrases in NAV_WORDS.items() if said in phrases), None)


class Conversation:
    """A loaded menu and its word index, ready to answer any number of conversations."""

    def __init__(self, menu: Menu) -> None:
        self.menu = menu
        self.matcher = Matcher(menu)

    def step(self, state: State | None, event: Event) -> Reply:
        """Decide what happens when a person at `state` does `event` (None: a new conversation)."""
        if state is None or isinstance(event, Start):
            reply = self._first(event)
            return replace(reply, welcome=True)
        if not self._valid(state):
            home = self.menu.home
            reply = self._event(State(home.id), event) if isinstance(event, DialEnded) else None
            return reply or Reply(State(home.id), trouble=Trouble.MOVED, menu=home)
        return self._event(state, event)

    def _first(self, event: Event) -> Reply:
        home = State(self.menu.main)
        if isinstance(event, Words) and _nav(event.text) is None:
            reply = self._words(home, event.text)
            if reply.trouble is None:
                return reply
        elif isinstance(event, Key) and event.key not in "*#":
            reply = self._key(home, event.key)
            if reply.trouble is None:
                return reply
        return Reply(home, menu=self.menu.home)

    def _valid(self, state: State) -> bool:
        return (
            state.menu in self.menu.menus
            and (state.topic is None or state.topic in self.menu.topics)
            and all(self.menu.node(i) is not None for i in state.offered)
        )

    def _event(self, state: State, event: Event) -> Reply:
        if isinstance(event, Key):
            return self._key(state, event.key)
        if isinstance(event, Words):
            key = _nav(event.text)
            if key == THANKS:
                return self._aside(state, thanks=True)
            return self._key(state, key) if key else self._words(state, event.text)
        if isinstance(event, Silence):
            return self._miss(state, Trouble.SILENCE)
        if isinstance(event, DialEnded):
            return self._dial_ended(event)
        return Reply(State(self.menu.main), menu=self.menu.home)

    def _key(self, state: State, key: str) -> Reply:
        menu = self.menu.menus[state.menu]
        if key == "*":
            return self._repeat(state)
        if key == "#":
            return Reply(State(self.menu.main), menu=self.menu.home)
        if key == "0":
            return Reply(State(state.menu), transfer=self.menu.person)
        if state.offered and key in "123456789" and int(key) <= len(state.offered):
            return self._go(menu, state.offered[int(key) - 1])
        option = menu.option(key)
        if option is None:
            return self._miss(state, Trouble.WRONG_KEY, key=key)
        return self._go(menu, option.target)

    def _repeat(self, state: State) -> Reply:
        clean = replace(state, misses=0)
        if state.offered:
            return Reply(clean, offered=self._nodes(state.offered))
        if state.topic:
            return Reply(clean, answer=self.menu.topics[state.topic], reminder=True)
        return Reply(clean, menu=self.menu.menus[state.menu])

    def _go(self, came_from: MenuNode, target: str) -> Reply:
        node = self.menu.node(target)
        if isinstance(node, Topic):
            return Reply(State(came_from.id, node.id), answer=node, reminder=True)
        if isinstance(node, MenuNode):
            return Reply(State(node.id), menu=node)
        if isinstance(node, Transfer):
            return Reply(State(came_from.id), transfer=node)
        return Reply(State(self.menu.main), trouble=Trouble.MOVED, menu=self.menu.home)

    def _words(self, state: State, text: str) -> Reply:
        if self.matcher.emergency(text):
            # Before any topic: "my son can't breathe" must not be answered with "can it be cured".
            return self._aside(state, emergency=True)
        found = self.matcher.match(text)
        if not found:
            return self._miss(state, Trouble.NOT_UNDERSTOOD)
        if len(found) == 1:
            return self._go(self.menu.menus[state.menu], found[0])
        return Reply(
            State(state.menu, state.topic, 0, tuple(found)), offered=self._nodes(found)
        )

    def _aside(self, state: State, **said: bool) -> Reply:
        # Something said aside (thanks, the emergency notice), then the short menu read out: the
        # state starts clean, so its keys mean what was just said, not an older list.
        return Reply(State(state.menu), menu=self.menu.menus[state.menu], brief=True, **said)

    def _nodes(self, ids: tuple[str, ...] | list[str]) -> tuple[Node, ...]:
        return tuple(n for n in (self.menu.node(i) for i in ids) if n is not None)

    def _miss(self, state: State, why: Trouble, key: str | None = None) -> Reply:
        misses = state.misses + 1
        if misses >= MAX_MISSES:
            if why is Trouble.SILENCE:
                return Reply(state, trouble=Trouble.GONE_QUIET, failed=self.menu.person, end=True)
            return Reply(State(state.menu), trouble=Trouble.TOO_MANY, key=key,
                         transfer=self.menu.person)
        if state.offered:  # 1, 2, ... still pick from the list offered, so say that list again
            return Reply(replace(state, misses=misses), trouble=why, key=key,
                         offered=self._nodes(state.offered))
        menu = self.menu.menus[state.menu]
        return Reply(replace(state, misses=misses), trouble=why, key=key, menu=menu, brief=True)

    def _dial_ended(self, event: DialEnded) -> Reply:
        line = self.menu.transfers.get(event.line, self.menu.person)
        if event.status in ("completed", "answered"):  # both: a person picked up
            return Reply(State(self.menu.main), end=True)
        return Reply(State(self.menu.main), failed=line, menu=self.menu.home)

    def options(self, menu: MenuNode) -> list[tuple[Option, Node]]:
        """Return a menu's options with the nodes they lead to, in key order."""
        return [(o, n) for o in menu.options if (n := self.menu.node(o.target)) is not None]
