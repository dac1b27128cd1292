"""POST /sms: answer each text with messaging TwiML; the conversation itself is `ivr.texting`."""

from __future__ import annotations

import json

from flask import Blueprint, Flask, Response, current_app, request, session
from flask.blueprints import BlueprintSetupState
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer
from twilio.twiml.messaging_response import MessagingResponse

from ivr import fallback, texting

bp = Blueprint("sms", __name__)
MAX_BUILT = 1024
_built: dict[tuple[str, ...], str] = {}


@bp.post("/sms")
def sms() -> Response:
    """Answer one incoming text, keeping where the texter is in a signed cookie."""
    conversation = current_app.extensions["ivr.menu"].current()
    if conversation is None:  # no menu has ever loaded (the fallback hook answers first)
        return fallback.answer(request.path)
    kept = {k: v for k, v in session.items() if not k.startswith("_")}
    bodies = texting.reply(conversation, kept, request.form.get("Body", ""))
    if current_app.secret_key:  # without one, every text starts from the main menu
        session.clear()
        if kept:
            session.update(kept)
            session.permanent = True  # kept for PERMANENT_SESSION_LIFETIME, as Twilio does
    return messages(bodies)


def messages(bodies: list[str]) -> Response:
    """Return messaging TwiML sending each body as one message (none: an empty Response)."""
    key = tuple(bodies)
    found = _built.get(key)
    if found is None:  # texters get the same menus and answers: each is built once
        twiml = MessagingResponse()
        for body in bodies:
            twiml.message(body)
        found = str(twiml)
        if len(_built) >= MAX_BUILT:  # bounded, whatever is texted
            _built.clear()
        _built[key] = found
    return Response(found, mimetype="text/xml")


class PlainJSON:
    """A texter's place as plain JSON: texting keeps only text, numbers, lists and mappings.

    Flask's own serializer tags tuples, bytes and dates on the way in and out; walking every
    value for them cost as much as signing the cookie. For these values it writes the same text.
    """

    @staticmethod
    def dumps(value: object) -> str:
        """Write the session as compact JSON, keys sorted, as Flask's serializer does."""
        return json.dumps(value, separators=(",", ":"), sort_keys=True)

    @staticmethod
    def loads(value: str | bytes) -> object:
        """Read the session back."""
        return json.loads(value)


class TextSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signer made once instead of twice a text."""

    serializer = PlainJSON()  # type: ignore[assignment]
    _made: tuple[object, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Return the serializer for the app's current keys, made when they change."""
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        made = self._made
        if made is None or made[0] != keys:
            made = self._made = (keys, super().get_signing_serializer(app))
        return made[1]


@bp.record_once
def _sessions(state: BlueprintSetupState) -> None:
    state.app.session_interface = TextSessions()
