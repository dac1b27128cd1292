"""Play a call or a text conversation against the engine, line by line, as a person would.

Wording comes from the modules the webhooks use (`ivr.speech` for what a caller hears,
`ivr.texting` for what a texter reads), so `ivr simulate` and `ivr test` print exactly what a
person gets. After a transfer ("[connecting to ...]"), the next input says how the dialled call
ended: completed (the default), busy, no-answer, failed or canceled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ivr.checks import printed
from ivr.engine import Conversation, DialEnded, Event, Key, Reply, Silence, Start, State, Words
from ivr.model import Transfer

DIAL_ENDINGS = ("completed", "answered", "busy", "no-answer", "failed", "canceled")
KEYS = frozenset("0123456789*#")

Hear = Callable[..., str]
Read = Callable[[Conversation, dict, str], list[str]]


def speech() -> Hear:
    """Return `ivr.speech.hear`, what the voice webhooks say."""
    from ivr.speech import hear

    return hear


def texting() -> Read:
    """Return `ivr.texting.reply`, what the sms webhook texts back."""
    from ivr.texting import reply

    return reply


@dataclass
class Call:
    """One phone call: feed it what the caller does, get back the lines they hear."""

    conversation: Conversation
    hear: Hear = field(default_factory=speech)
    state: State | None = None
    dialing: Transfer | None = None
    ended: bool = False

    def start(self) -> list[str]:
        """Ring the line: return the greeting and main menu."""
        return self._play(Start())

    def do(self, line: str) -> list[str]:
        """Do what one input line says: keys, words, silence (empty), or how a transfer ended."""
        said = line.strip()
        if self.ended:
            return ["[the call has ended]"]
        if self.state is None:
            return self.start() + self.do(line)
        if self.dialing is not None:
            status = said.lower() or "completed"
            if status not in DIAL_ENDINGS:
                return [f"[the call is being connected: type how it ended, one of "
                        f"{', '.join(DIAL_ENDINGS)}]"]
            line_id, self.dialing = self.dialing.id, None
            return self._play(DialEnded(line_id, status))
        if not said:
            return self._play(Silence())
        if all(c in KEYS for c in said.replace(" ", "")):
            heard: list[str] = []
            for key in said.replace(" ", ""):
                if not self.ended and self.dialing is None:
                    heard += self._play(Key(key))
            return heard
        return self._play(Words(said))

    def _play(self, event: Event) -> list[str]:
        reply: Reply = self.conversation.step(self.state, event)
        self.state = reply.state
        heard = [text] if (text := self.hear(self.conversation.menu, reply)) else []
        if reply.transfer is not None:
            heard.append(f"[connecting to {printed(reply.transfer)}]")
            self.dialing = reply.transfer
        if reply.end:
            heard.append("[the call ends]")
            self.ended = True
        return heard


@dataclass
class Texting:
    """One person texting the line: feed it their texts, get back the texts they read."""

    conversation: Conversation
    read: Read = field(default_factory=texting)
    session: dict = field(default_factory=dict)

    def send(self, body: str) -> list[str]:
        """Text the line; return the replies, in order."""
        return list(self.read(self.conversation, self.session, body))
