"""Never a dead end: when anything goes wrong, calls reach a person and texts get the number.

`POST /voice/fallback` and `POST /sms/fallback` are the URLs Twilio calls when the line itself
fails; they need no menu file. The same answers stand in for a webhook that raises, and for
/voice and /sms while no menu has ever loaded.
"""

from __future__ import annotations

import logging
import re
import traceback
from pathlib import Path

import phonenumbers
from flask import Blueprint, Flask, Response, current_app, request, url_for
from flask.typing import ResponseReturnValue
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse
from werkzeug.exceptions import HTTPException

from ivr import SettingsError
from ivr.security import twilio_facing
from ivr.speech import digits
from ivr.texting import OPT_WORDS, printed

log = logging.getLogger("ivr")
bp = Blueprint("fallback", __name__)

FALLBACK_PATHS = ("/voice/fallback", "/voice/fallback/dialed", "/sms/fallback")
DIAL_SECONDS = 30  # as long as the line's own transfers ring
DEFAULT_VOICE = ("Polly.Joanna-Neural", "en-US")


@bp.post("/voice/fallback")
def voice_fallback() -> ResponseReturnValue:
    """Apologise and connect the caller to a person."""
    return answer("/voice")


@bp.post("/voice/fallback/dialed")
def voice_fallback_dialed() -> ResponseReturnValue:
    """End the fallback's transfer: goodbye if it connected, else the number to call back."""
    return answer("/voice")


@bp.post("/sms/fallback")
def sms_fallback() -> ResponseReturnValue:
    """Apologise and text the number of a person to call."""
    return answer("/sms")


def init_app(app: Flask) -> None:
    """Add the fallback routes, answer errors with them, and stand in while no menu loaded."""
    number = app.config["IVR_FALLBACK_NUMBER"]
    if not _valid(number):
        raise SettingsError(f"IVR_FALLBACK_NUMBER {number!r} is not a phone number like "
                            "+16173556000")
    app.register_blueprint(bp)
    app.register_error_handler(Exception, on_error)
    app.before_request(without_menu)


def answer(path: str) -> Response:
    """Return the fallback TwiML for the channel `path` belongs to."""
    twiml = _sms() if path.startswith("/sms") else _voice()
    return Response(str(twiml), 200, mimetype="text/xml")


def without_menu() -> Response | None:
    """Answer /voice and /sms with the fallback while no menu has ever loaded."""
    if not twilio_facing(request.path) or request.path in FALLBACK_PATHS:
        return None
    if current_app.extensions["ivr.menu"].current() is None:
        log.error("%s %s: no menu loaded; answered with the fallback", request.method,
                  request.path)
        return answer(request.path)
    return None


def on_error(e: Exception) -> ResponseReturnValue:
    """Answer a failing webhook with the fallback instead of an error page; log where it broke."""
    if not twilio_facing(request.path):
        if isinstance(e, HTTPException):
            return e
        raise e
    sid = _sid()
    if isinstance(e, HTTPException):
        log.warning("%s %s%s: %s; answered with the fallback", request.method, request.path,
                    sid, e.code)
    elif current_app.config["IVR_DEV"] or current_app.testing:
        log.exception("%s %s%s: answered with the fallback", request.method, request.path, sid)
    else:
        # The message of an exception can hold what a caller said or texted: log only where.
        log.error("%s %s%s: %s at %s; answered with the fallback", request.method, request.path,
                  sid, type(e).__name__, _where(e))
    return answer(request.path)


def _sid() -> str:
    try:
        form = request.form
    except HTTPException:
        return ""
    sid = form.get("CallSid") or form.get("MessageSid") or ""
    return f" ({sid[:40]})" if re.fullmatch(r"[A-Z]{2}[0-9a-f]{32}", sid) else ""


def _where(e: BaseException) -> str:
    frames = traceback.extract_tb(e.__traceback__)[-4:]
    return " < ".join(f"{Path(f.filename).name}:{f.lineno} in {f.name}" for f in reversed(frames))


def _person() -> tuple[str, str, str]:
    """Return the number to reach a person, and the voice and language to say it in."""
    conversation = current_app.extensions["ivr.menu"].conversation
    if conversation is None:
        return (current_app.config["IVR_FALLBACK_NUMBER"], *DEFAULT_VOICE)
    menu = conversation.menu
    return menu.person.number, menu.settings.voice, menu.settings.language


def _voice() -> VoiceResponse:
    number, voice, language = _person()
    r = VoiceResponse()
    status = _form().get("DialCallStatus")
    if status in ("completed", "answered"):
        r.say("Thank you for calling. Goodbye.", voice=voice, language=language)
    elif status:  # a transfer that did not connect: never dial the same line again
        said = digits(number)
        r.say(f"Sorry, no one could take your call just now. Please call {said}. Again, that "
              f"number is {said}. Goodbye.", voice=voice, language=language)
    else:
        r.say("We are sorry. This line is having a problem right now. If this is a medical "
              "emergency, hang up and dial 911. We are connecting you to a person now.",
              voice=voice, language=language)
        r.dial(number, action=url_for("fallback.voice_fallback_dialed"), method="POST",
               timeout=DIAL_SECONDS, answer_on_bridge=True)
    r.hangup()
    return r


def _form() -> dict[str, str]:
    try:
        return request.form.to_dict()
    except HTTPException:
        return {}


def _sms() -> MessagingResponse:
    r = MessagingResponse()
    body = _form().get("Body", "")
    if body.strip().upper() in OPT_WORDS:  # Twilio sends the carrier's confirmation
        return r
    number, _, _ = _person()
    r.message(f"Sorry, this line is having a problem right now. To talk to a person, call "
              f"{printed(number)}. In an emergency, call 911.")
    return r


def _valid(number: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(number))
    except phonenumbers.NumberParseException:
        return False
