"""Twilio's request signature: every request to /voice and /sms must carry a good one.

The check runs before any view (a `before_request` hook), so each webhook the voice and sms
modules add is covered without a decorator to forget. GET /healthz is outside and not signed.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from flask import Flask, Response, current_app, request
from twilio.request_validator import RequestValidator, compare
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

log = logging.getLogger("ivr")

TWILIO_PREFIXES = ("/voice", "/sms")


def twilio_facing(path: str) -> bool:
    """Say whether Twilio calls this path: /voice, /sms and everything under them."""
    return any(path == p or path.startswith(p + "/") for p in TWILIO_PREFIXES)


def init_app(app: Flask) -> None:
    """Trust one proxy's X-Forwarded-Proto/Host and check signatures before every webhook."""
    # Heroku-like platforms end TLS at one router and pass the scheme and host Twilio used.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1)  # type: ignore[method-assign]
    app.before_request(check_signature)


def signed_url() -> str:
    """Return the URL Twilio signed: PUBLIC_BASE_URL (or the proxied host) + raw path and query."""
    # The raw request line keeps Twilio's own percent-encoding; request.path is already decoded.
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI") or ""
    path = raw.split("?", 1)[0] if raw.startswith("/") else quote(request.path)
    query = request.query_string.decode("latin-1")
    tail = path + ("?" + query if query else "")
    base = current_app.config["PUBLIC_BASE_URL"]
    if base:
        return base.rstrip("/") + tail
    return request.host_url.rstrip("/") + tail


def signature_ok(token: str) -> bool:
    """Say whether this request carries Twilio's signature for its URL and parameters."""
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature:
        return False
    try:
        # A JSON body is signed through a bodySHA256 hash in the URL, so it is checked as text.
        is_json = request.mimetype == "application/json"
        params = request.get_data(as_text=True) if is_json else request.form
    except HTTPException:  # a body too large or malformed to read was not sent by Twilio
        return False
    validator, url = RequestValidator(token), signed_url()
    # validate() tries the URL with and without its port, rebuilt through urlparse, which drops
    # a trailing ';' from the path; the exact URL is compared first so that no URL is lost.
    exact = not isinstance(params, str) and compare(validator.compute_signature(url, params),
                                                     signature)
    return exact or validator.validate(url, params, signature)


def check_signature() -> Response | None:
    """Answer 403 to a Twilio-facing request whose X-Twilio-Signature is missing or wrong."""
    token = current_app.config["TWILIO_AUTH_TOKEN"]
    if not token or not twilio_facing(request.path) or signature_ok(token):
        return None
    why = "wrong signature" if request.headers.get("X-Twilio-Signature") else "no signature"
    log.warning("403 %s %s: %s", request.method, request.path, why)
    return Response("Forbidden: this address answers Twilio only.\n", 403,
                    mimetype="text/plain")
