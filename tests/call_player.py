"""Play a phone call the way Twilio does: say each <Say>, wait at a <Gather>, follow actions.

`Call(post)` works with any way of posting a webhook, so the same calls run through Flask's test
client and against gunicorn with signed requests.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

# What Twilio sends with every request of one call.
CALL = {
    "CallSid": "CA" + "0" * 32, "AccountSid": "AC" + "0" * 32, "From": "+16175550123",
    "To": "+16175550199", "CallStatus": "in-progress", "Direction": "inbound",
    "ApiVersion": "2010-04-01",
}

Post = Callable[[str, dict[str, str]], tuple[int, str, str]]  # path, form -> status, type, body


class Call:
    """One phone call: what the caller heard, and the verb Twilio is waiting at."""

    def __init__(self, post: Post) -> None:
        self.post = post
        self.heard: list[str] = []  # every sentence said, the whole call
        self.says: list[ET.Element] = []
        self.gather: ET.Element | None = None
        self.dial: ET.Element | None = None
        self.rest: list[ET.Element] = []  # the verbs after the <Gather>, run on silence
        self.ended = False
        self.requests: list[str] = []

    def start(self) -> str:
        """Dial the line; return what the caller hears until asked for something."""
        return self.fetch("/voice", {})

    def press(self, key: str) -> str:
        """Press one key at the current menu."""
        gather = self._waiting()
        if key in gather.get("finishOnKey", "#"):
            # Twilio ends the <Gather> on its finishOnKey and passes nothing on: it is silence.
            return self.silence()
        return self.fetch(gather.get("action", ""), {"Digits": key})

    def say(self, words: str) -> str:
        """Say words at the current menu, as Twilio's speech recognition hands them over."""
        gather = self._waiting()
        assert "speech" in gather.get("input", ""), "this menu does not listen for speech"
        return self.fetch(gather.get("action", ""), {"SpeechResult": words, "Confidence": "0.9"})

    def silence(self) -> str:
        """Say and press nothing: Twilio moves on to the verbs after the <Gather>."""
        self._waiting()
        rest, self.gather = self.rest, None
        return " ".join(self._run(rest))

    def dial_ends(self, status: str) -> str:
        """End the transfer being dialled with a DialCallStatus such as busy."""
        assert self.dial is not None, "no transfer is being dialled"
        action, self.dial = self.dial.get("action", ""), None
        params = {"DialCallStatus": status, "DialCallSid": "CA" + "1" * 32}
        return self.fetch(action, params)

    def _waiting(self) -> ET.Element:
        assert not self.ended, "the call has ended"
        assert self.gather is not None, "the line is not waiting for a choice"
        return self.gather

    def fetch(self, url: str, params: dict[str, str]) -> str:
        """Request a webhook URL as Twilio would; return what the caller hears from it."""
        assert url.startswith("/") and url.isascii() and "%" not in url and "?" not in url, url
        self.requests.append(url)
        status, content_type, body = self.post(url, {**CALL, **params})
        assert status == 200, (status, body)
        assert content_type.startswith("text/xml"), content_type
        root = ET.fromstring(body)
        assert root.tag == "Response"
        return " ".join(self._run(list(root)))

    def _run(self, verbs: list[ET.Element]) -> list[str]:
        said: list[str] = []
        for i, verb in enumerate(verbs):
            if verb.tag == "Say":
                said.append(self._hear(verb))
            elif verb.tag == "Gather":
                said += [self._hear(s) for s in verb.iter("Say")]
                self.gather, self.rest = verb, verbs[i + 1:]
                return said
            elif verb.tag == "Dial":
                self.dial = verb
                return said
            elif verb.tag == "Redirect":
                return [*said, self.fetch(verb.text or "", {})]
            elif verb.tag == "Hangup":
                break
            else:
                raise AssertionError(f"the player does not know <{verb.tag}>")
        self.ended = True
        return said

    def _hear(self, say: ET.Element) -> str:
        self.says.append(say)
        text = "".join(say.itertext())
        self.heard.append(text)
        return text
