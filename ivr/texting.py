"""The text line: one incoming text and the texter's session in, the texts to send back out.

Everything that happens only on the text channel lives here, with no Flask and no Twilio: the
words carriers keep (STOP, HELP, ...), paging a long answer with MORE, and the wording of each
reply. Where the texter is in the menu, and what they meant, the engine decides; this module only
writes it down, in plain GSM-7 text of at most two segments per reply.

`session` is a plain JSON-able dict the caller keeps between texts (the web app keeps it in a
signed cookie): "at" is the engine's `State`, "more" the rest of an answer not yet sent.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import phonenumbers

from ivr import gsm
from ivr.engine import NUMBER_WORDS, Conversation, Event, Key, Reply, State, Trouble, Words
from ivr.model import RESERVED_SMS_WORDS, MenuNode, Text, Transfer

# Twilio answers these itself (opt-out and opt-in confirmations); we must add nothing.
HELP_WORDS = frozenset({"HELP", "INFO"})
OPT_WORDS = RESERVED_SMS_WORDS - HELP_WORDS
STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "OPTOUT"})
STOP_FILLER = frozenset("PLEASE ME IT NOW THIS TEXTING TEXTS TEXT MESSAGING MESSAGES SENDING ALL "
                        "I WANT TO".split())
HOW_TO_STOP = "To stop getting texts from this line, reply STOP."
MORE = "MORE"
MAX_SEGMENTS = 2

MORE_TAIL = "Reply MORE for the rest."
REMINDER = "Reply MENU for topics, or 0 to talk to a person."
TOPICS = "Reply MENU for topics."
MAIN_MENU = "Reply MENU for the main menu."
PICK = "Reply with a number."
CHOOSE = "Reply with a number, or text a question:"
PERSON = "To talk to a person, call {}."
ZERO = "0 Talk to a person"
OPTED = "Reply STOP to opt out. Msg & data rates may apply."
TROUBLE = {
    Trouble.NOT_UNDERSTOOD: "Sorry, I did not understand that.",
    Trouble.MOVED: "Sorry, the menu has changed.",
    Trouble.TOO_MANY: "Sorry, I still did not understand.",
}


def reply(conversation: Conversation, session: dict, body: str) -> list[str]:
    """Answer one text: return the message bodies to send (none for STOP and the like)."""
    said = body.strip()
    word = said.upper()
    if word in OPT_WORDS:  # the whole message only, as carriers match it
        session.clear()  # whoever texts again starts a new conversation
        return []
    # "Help?" from a worried parent still gets the help text; it opts nobody in or out.
    if word.rstrip(".!?") in HELP_WORDS:
        first = [conversation.menu.settings.notice] if "at" not in session else []
        return [gsm.normalise("\n".join([*first, _help(conversation)]))]
    if _asks_to_stop(word):
        return [HOW_TO_STOP]
    rest = session.pop("more", None)
    if word.rstrip(".!?") == MORE and isinstance(rest, dict) and rest.get("text"):
        return [_page(str(rest["text"]), [], str(rest.get("tail", "")), session)]
    state = _load(session.get("at"))
    step = conversation.step(state, _event(said))
    session["at"] = _dump(step.state)
    head, body_text, tail = _say(conversation, step)
    return [_page(body_text, head, tail, session)]


def _asks_to_stop(word: str) -> bool:
    # "Stop!" or "please stop texting me" may not opt out at the carrier: say how, never the menu.
    # Only when every other word is filler: "stop the pain" is a question about symptoms.
    words = set(re.findall(r"[A-Z]+", word))
    return bool(words & STOP_WORDS) and words <= STOP_WORDS | STOP_FILLER


def _event(said: str) -> Event:
    # A number picks an option even as a first text; anything else is words for the engine.
    one = said.strip(" .!)").lower()
    key = NUMBER_WORDS.get(one, one)
    return Key(key) if len(key) == 1 and key in "0123456789*#" else Words(said)


def _load(data: object) -> State | None:
    if not isinstance(data, dict):
        return None
    try:
        topic = data.get("topic")
        return State(str(data["menu"]), topic if isinstance(topic, str) else None,
                     int(data.get("misses", 0)), tuple(str(i) for i in data.get("offered", ())))
    except (KeyError, TypeError, ValueError):
        return None  # a cookie from an older version: start again


def _dump(state: State) -> dict:
    return {"menu": state.menu, "topic": state.topic, "misses": state.misses,
            "offered": list(state.offered)}


def number(line: Transfer) -> str:
    """Write a line's number as a texter dials it: 617-355-6000, or +44 20 7946 0958 abroad."""
    return printed(line.number)


@lru_cache(maxsize=256)  # parsing a number costs more than the rest of a reply; lines are few
def printed(e164: str) -> str:
    """Write an E.164 number as a texter dials it: 617-355-6000, or +44 20 7946 0958 abroad."""
    parsed = phonenumbers.parse(e164)
    if parsed.country_code == 1:
        d = str(parsed.national_number)
        return f"{d[:3]}-{d[3:6]}-{d[6:]}"
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _render(conversation: Conversation, text: Text) -> str:
    return text.render(conversation.menu, number).strip()


def _title(text: str) -> str:
    return text[:1].upper() + text[1:]


def _help(conversation: Conversation) -> str:
    menu = conversation.menu
    return gsm.normalise(f"{_title(menu.settings.name)}. {PERSON.format(number(menu.person))} "
                         f"{OPTED}")


def _lines(conversation: Conversation, reach: Transfer) -> str:
    """Say the number of `reach`; for the person line, every other line's number too."""
    menu = conversation.menu
    lines = [reach] if reach is not menu.person else [menu.person] + [
        t for t in menu.transfers.values() if t is not menu.person]
    return "\n".join(PERSON.format(number(t)) if t is menu.person else
                     f"For {t.title}, call {number(t)}." for t in lines)


def _menu(conversation: Conversation, node: MenuNode, first: bool) -> str:
    plain = node.prompt is None or (first and node.id == conversation.menu.main)
    prompt = "" if plain else _render(conversation, node.prompt) + " "
    ask = prompt + CHOOSE
    items = [f"{o.key} {_title(n.title)}" for o, n in conversation.options(node)]
    items.append(ZERO)
    return "\n".join([ask, *items])


def _say(conversation: Conversation, step: Reply) -> tuple[list[str], str, str]:
    """Return what to send as (lines before, the part that may be paged, the last line)."""
    menu = conversation.menu
    head = [menu.settings.notice] if step.welcome or step.emergency else []
    if step.trouble in TROUBLE:
        head.append(TROUBLE[step.trouble])
    elif step.trouble is Trouble.WRONG_KEY:
        head.append(f"Sorry, {step.key} is not a choice here.")
    if step.emergency:
        return head, PERSON.format(number(menu.person)), TOPICS
    if step.thanks:
        return head, "You're welcome.", REMINDER
    if step.answer is not None:
        return head, _render(conversation, step.answer.texted), REMINDER
    if step.offered:
        items = [f"{i} {_title(n.title)}" for i, n in enumerate(step.offered, 1)]
        return head, "\n".join(["Did you mean:", *items]), PICK
    if step.transfer is not None:
        return head, _lines(conversation, step.transfer), TOPICS
    if step.failed is not None:
        return head, _lines(conversation, step.failed), TOPICS
    node = step.menu or menu.menus.get(step.state.menu, menu.home)
    back = "" if node.id == menu.main else MAIN_MENU
    return head, _menu(conversation, node, step.welcome), back


def _page(text: str, head: list[str], tail: str, session: dict) -> str:
    """Return one reply of at most two segments; keep what did not fit for MORE."""
    reply, rest = _cut(text, tuple(head), tail)
    if rest:
        session["more"] = {"text": rest, "tail": tail}
    return reply


@lru_cache(maxsize=1024)  # texters read the same menus and answers: each is cut once
def _cut(text: str, head: tuple[str, ...], tail: str) -> tuple[str, str]:
    """Return (the reply, the rest for MORE): as much of `text` as fits in two segments."""
    for whole in (_join(head, text, tail), _join(head, text, "")):
        if gsm.segments(whole) <= MAX_SEGMENTS:
            return whole, ""  # the last line is only a hint: dropped, when that saves a part
    pieces = _pieces(gsm.normalise(text))
    if not _fits(head, pieces[0]):
        # One sentence longer than a reply: cut it between words.
        pieces[:1] = [w for w in re.split(r"(?<= )", pieces[0]) if w]
    sent = ""
    while pieces and _fits(head, sent + pieces[0]):
        sent += pieces.pop(0)
    if not sent:  # a word longer than a reply (a long link): cut it anywhere, never loop
        word = pieces.pop(0)
        cut = next(i for i in range(len(word), 0, -1) if _fits(head, word[:i]) or i == 1)
        sent, pieces = word[:cut], [word[cut:], *pieces]
    rest = "".join(pieces).strip()
    return _join(head, sent, MORE_TAIL if rest else tail), rest


def _fits(head: Sequence[str], text: str) -> bool:
    return gsm.segments(_join(head, text, MORE_TAIL)) <= MAX_SEGMENTS


def _pieces(text: str) -> list[str]:
    """Split text after each sentence and line, keeping the spaces and line breaks."""
    return [p for p in re.split(r"(?<=[.!?:]\s)|(?<=\n)", text) if p]


def _join(head: Sequence[str], text: str, tail: str) -> str:
    return gsm.normalise("\n".join(p for p in [*head, text.strip(), tail] if p))
