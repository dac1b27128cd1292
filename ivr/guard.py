"""Every answer to Twilio is a valid TwiML document with status 200, whatever a caller sent.

Views echo what people say and text; XML cannot carry some characters (NUL and most control
characters), and Twilio drops a call whose TwiML does not parse. This `after_request` hook is
the last check before Twilio: it strips those characters, and stands the fallback in for
anything that still is not TwiML.
"""

from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET

from flask import Flask, Response, request

from ivr import fallback
from ivr.security import twilio_facing

log = logging.getLogger("ivr")

# Answers already checked, by their exact bytes; bounded (4 MB at most).
MAX_GOOD, MAX_GOOD_BYTES = 512, 8192
_good: dict[bytes, None] = {}

# Characters outside XML 1.0's Char production.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """Drop the characters an XML document cannot hold."""
    return NOT_XML.sub("", text)


def init_app(app: Flask) -> None:
    """Check every Twilio-facing answer before it leaves."""
    app.after_request(ensure_twiml)


def ensure_twiml(response: Response) -> Response:
    """Make a Twilio-facing response valid TwiML with status 200; leave 403 refusals alone."""
    if not twilio_facing(request.path) or response.status_code == 403:
        return response
    status = response.status_code
    if not 200 <= status < 300:
        # A redirect or an error (a path Twilio never builds, a view's bug) is no answer for a
        # caller; only a server error is ours to fix.
        return _replace(response, f"status {status}", logging.ERROR if status >= 500 else
                        logging.WARNING)
    if response.direct_passthrough or response.is_streamed:
        return _replace(response, "a streamed body")
    data = response.get_data()
    if data in _good:  # the same bytes passed before: the same checks would pass again
        response.status_code = 200
        if response.mimetype not in ("text/xml", "application/xml"):
            response.mimetype = "text/xml"
        return response
    body = data.decode()
    if not body.strip():
        # Saying nothing is a choice (an opted-out texter): keep it, as a valid empty document.
        response.set_data('<?xml version="1.0" encoding="UTF-8"?><Response />')
        response.status_code, response.mimetype = 200, "text/xml"
        return response
    clean = xml_safe(body)
    try:
        root = ET.fromstring(clean.encode())
    except ET.ParseError:
        return _replace(response, "a body that is not XML")
    if root.tag != "Response":
        return _replace(response, f"<{root.tag[:20]}> instead of <Response>")
    response.status_code = 200
    if clean != body:
        response.set_data(clean)
    elif len(data) <= MAX_GOOD_BYTES:
        # Most answers are a menu or a topic said again and again: parsing each anew was a
        # tenth of a request's time. Only bytes that parsed unchanged are remembered.
        if len(_good) >= MAX_GOOD:
            _good.clear()
        _good[data] = None
    if response.mimetype not in ("text/xml", "application/xml"):
        response.mimetype = "text/xml"
    return response


def _replace(response: Response, what: str, level: int = logging.ERROR) -> Response:
    log.log(level, "%s %s answered with %s; sent the fallback instead", request.method,
            request.path, what)
    replacement = fallback.answer(request.path)
    # Keep the view's cookies: a text conversation's place lives in one.
    for cookie in response.headers.getlist("Set-Cookie"):
        replacement.headers.add("Set-Cookie", cookie)
    return replacement
