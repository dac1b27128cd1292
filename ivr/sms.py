"""POST /sms: answer each text with messaging TwiML; the conversation itself is `ivr.texting`."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request, session
from twilio.twiml.messaging_response import MessagingResponse

from ivr import fallback, texting

bp = Blueprint("sms", __name__)


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
    twiml = MessagingResponse()
    for body in bodies:
        twiml.message(body)
    return Response(str(twiml), mimetype="text/xml")
