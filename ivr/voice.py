"""The voice line: Twilio's /voice webhooks, and an engine `Reply` said as TwiML.

Where a call is lives in the URL of each `<Gather>` action, never in process memory, so any worker
can take the next request: /voice/at/MENU/TOPIC/MISSES/OFFERED, with `-` for no topic and offered
ids joined by dots (ids are lowercase letters, digits and dashes, so the paths are plain ASCII
that no server re-encodes). The words come from `ivr.speech`; this module only builds TwiML.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import fields

from flask import Blueprint, Response, current_app, request, url_for
from flask.blueprints import BlueprintSetupState
from twilio.twiml.voice_response import Gather, VoiceResponse

from ivr import fallback, speech
from ivr.engine import Conversation, DialEnded, Event, Key, Reply, Silence, Start, State, Words
from ivr.model import Menu, MenuNode, Topic, Transfer

bp = Blueprint("voice", __name__)

DIAL_SECONDS = 30  # about six rings before the caller hears the number to call back
NONE = "-"  # no topic, or nothing offered: ids cannot be "-"
MAX_HINTS = 500  # Twilio takes up to 500 hints of up to 100 characters each
_hints: dict[str, str] = {}
MAX_RENDERED = 4096
REPLY_FIELDS = tuple(f.name for f in fields(Reply))
_rendered: dict[tuple[object, ...], str] = {}


@bp.record_once
def _warm(state: BlueprintSetupState) -> None:
    # Built before gunicorn forks (--preload): read in a worker, every topic's refcount is
    # written to, and each worker copies the whole menu's pages for a list of 500 words.
    conversation = state.app.extensions["ivr.menu"].current()
    if conversation is not None:
        hints(conversation.menu)


@bp.post("/voice")
def answer() -> Response:
    """Answer an incoming call with the greeting and the main menu."""
    return _step(None, Start())


@bp.post("/voice/at/<menu>/<topic>/<int:misses>/<offered>")
def heard(menu: str, topic: str, misses: int, offered: str) -> Response:
    """Take the key pressed or the words said at a menu."""
    # One key a turn (numDigits=1): a longer Digits is not Twilio's, and is not said back whole.
    digits = request.form.get("Digits", "").strip()[:1]
    words = request.form.get("SpeechResult", "").strip()
    event: Event = Key(digits) if digits else Words(words) if words else Silence()
    return _step(_state(menu, topic, misses, offered), event)


@bp.post("/voice/quiet/<menu>/<topic>/<int:misses>/<offered>")
def quiet(menu: str, topic: str, misses: int, offered: str) -> Response:
    """Prompt again when the caller said and pressed nothing."""
    return _step(_state(menu, topic, misses, offered), Silence())


@bp.post("/voice/dialed/<line>")
def dialed(line: str) -> Response:
    """Finish a transfer: goodbye if it connected, else the number to call back."""
    status = request.form.get("DialCallStatus", "failed")
    return _step(State(), DialEnded(line, status))


def _step(state: State | None, event: Event) -> Response:
    conversation: Conversation | None = current_app.extensions["ivr.menu"].current()
    if conversation is None:  # no menu has ever loaded (the fallback hook answers first)
        return fallback.answer(request.path)
    return Response(_twiml(conversation.menu, conversation.step(state, event)),
                    mimetype="text/xml")


def _twiml(menu: Menu, reply: Reply) -> str:
    """Return a reply's TwiML text, built once per menu and reply: callers hear the same few."""
    # Building TwiML through the library takes most of a request's own time, and a menu has few
    # distinct replies (its menus, answers and troubles). The key holds every field of the
    # reply, nodes by id (unique in a menu), and what the URLs depend on.
    key = (menu.digest, request.script_root, tuple(_ids(getattr(reply, f))
                                                   for f in REPLY_FIELDS))
    found = _rendered.get(key)
    if found is None:
        found = str(render(menu, reply))
        if len(_rendered) >= MAX_RENDERED:  # bounded, whatever callers do
            _rendered.clear()
        _rendered[key] = found
    return found


def _ids(value: object) -> Hashable:
    if isinstance(value, (MenuNode, Topic, Transfer)):
        return value.id
    if isinstance(value, tuple):
        return tuple(_ids(v) for v in value)
    return value  # type: ignore[return-value]


def render(menu: Menu, reply: Reply) -> VoiceResponse:
    """Say a reply as TwiML: a menu to choose from, a transfer, or a goodbye."""
    twiml = VoiceResponse()
    settings = menu.settings
    if reply.transfer is None and not reply.end:
        where = _where(reply.state)
        gather = twiml.gather(
            input="dtmf speech", action=url_for("voice.heard", **where), method="POST",
            num_digits=1, finish_on_key="", speech_timeout="auto",
            language=settings.language, hints=hints(menu),
        )
        _say(gather, menu, reply)
        twiml.redirect(url_for("voice.quiet", **where), method="POST")
    else:
        _say(twiml, menu, reply)
    if reply.transfer is not None:
        line = reply.transfer
        dial = twiml.dial(
            action=url_for("voice.dialed", line=line.id), method="POST",
            timeout=DIAL_SECONDS, answer_on_bridge=True,
        )
        dial.number(line.number)
    elif reply.end:
        twiml.hangup()
    return twiml


def _say(verb: VoiceResponse | Gather, menu: Menu, reply: Reply) -> None:
    for part in speech.say(menu, reply):
        verb.say(part, voice=menu.settings.voice, language=menu.settings.language)


def hints(menu: Menu) -> str:
    """Return the words callers are likely to say, for speech recognition: built once a menu."""
    found = _hints.get(menu.digest)
    if found is None:
        phrases: dict[str, None] = {}  # a dict keeps the first-written order
        for node in (*menu.topics.values(), *menu.transfers.values()):
            for phrase in (node.title, *node.keywords):
                clean = " ".join(phrase.replace(",", " ").split())[:100]
                phrases.setdefault(clean.lower(), None)
        found = ", ".join(list(phrases)[:MAX_HINTS])
        if len(_hints) > 8:  # a menu edited many times keeps only its recent versions here
            _hints.clear()
        _hints[menu.digest] = found
    return found


def _where(state: State) -> dict[str, str | int]:
    return {
        "menu": state.menu,
        "topic": state.topic or NONE,
        "misses": state.misses,
        "offered": ".".join(state.offered) or NONE,
    }


def _state(menu: str, topic: str, misses: int, offered: str) -> State:
    return State(
        menu,
        None if topic == NONE else topic,
        misses,
        () if offered == NONE else tuple(offered.split(".")),
    )
