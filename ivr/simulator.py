"""The simulator page: try the line in a browser, through the real webhooks, on your own machine.

It is on under `make run` (IVR_DEV=1) or with IVR_SIMULATOR=1, and a 404 otherwise. The page cannot
sign requests, so it reaches /voice and /sms through `relay`, which signs each request with the auth
token on the server, exactly as Twilio would, and dispatches it inside the app: the webhooks keep
their signature check and the token never reaches the browser. Twilio keeps one cookie jar per call
and per text conversation, so the relay keeps each channel's cookies apart under its own prefix.
"""

from __future__ import annotations

import re
from datetime import date
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    jsonify,
    request,
    send_from_directory,
)
from flask.typing import ResponseReturnValue
from twilio.request_validator import RequestValidator

from ivr import draw, gsm
from ivr.checks import check_content
from ivr.model import Menu

bp = Blueprint("simulator", __name__, static_folder="static", static_url_path="/simulator/static")

CHANNELS = ("voice", "sms")
# Sent by the page on every relay request: a cross-site form cannot set it, so other sites'
# pages cannot drive the line through a visitor's simulator.
HEADER = "X-IVR-Simulator"
_ID = re.compile(r"\[([a-z0-9][a-z0-9-]*)\]")  # how `ivr draw` shows a node's id
_described: dict[str, dict[str, Any]] = {}


def enabled(app: Flask) -> bool:
    """Say whether this app serves the simulator."""
    return bool(app.config.get("IVR_DEV") or app.config.get("IVR_SIMULATOR"))


@bp.before_request
def only_when_enabled() -> None:
    """Answer 404 for every simulator address unless the simulator is on."""
    if not enabled(current_app):
        abort(404)


@bp.get("/")
def page() -> ResponseReturnValue:
    """Serve the simulator page."""
    return send_from_directory(bp.static_folder or "static", "simulator.html")


@bp.get("/simulator/menu.json")
def menu_json() -> ResponseReturnValue:
    """Describe the menu in use: its tree, its numbers, its warnings, and the last load error."""
    live = current_app.extensions["ivr.menu"]
    conv = live.current()
    body: dict[str, Any] = {
        "digest": conv.menu.digest if conv else None,
        "error": live.error.lines() if live.error else None,
    }
    if conv:
        body.update(name=conv.menu.settings.name, **describe(conv.menu))
    return jsonify(body)


@bp.post("/simulator/relay")
def relay() -> ResponseReturnValue:
    """Send the page's webhook request to /voice or /sms, signed as Twilio signs it."""
    to, channel = _target(request.args.get("to", ""))
    if request.headers.get(HEADER) != "1":
        abort(403)
    method = request.args.get("method", "POST").upper()
    params = request.form.to_dict()
    if method == "GET":
        to += ("&" if "?" in to else "?") + urlencode(params)
        params = {}
    base = (current_app.config.get("PUBLIC_BASE_URL") or request.host_url).rstrip("/")
    headers = {"Cookie": _cookies_for(channel)}
    token = current_app.config.get("TWILIO_AUTH_TOKEN")
    if token:
        headers["X-Twilio-Signature"] = RequestValidator(token).compute_signature(
            base + to, params)
    inner = current_app.test_client(use_cookies=False).open(
        to, base_url=base, method=method, data=params or None, headers=headers)
    out = Response(inner.get_data(), inner.status_code, content_type=inner.content_type)
    for header in inner.headers.getlist("Set-Cookie"):
        out.headers.add("Set-Cookie", f"sim-{channel}-{header}")
    return out


@bp.post("/simulator/forget")
def forget() -> ResponseReturnValue:
    """Drop a channel's cookies, as Twilio does when a call ends or a new conversation starts."""
    channel = request.args.get("channel", "")
    if channel not in CHANNELS or request.headers.get(HEADER) != "1":
        abort(400)
    out = Response(status=204)
    for name in request.cookies:
        if name.startswith(f"sim-{channel}-"):
            out.delete_cookie(name)
    return out


@bp.post("/simulator/segments")
def segments() -> ResponseReturnValue:
    """Say how many SMS segments each text costs, and its encoding, as the text line counts."""
    texts = request.form.getlist("text")
    return jsonify([{"count": gsm.segments(t), "encoding": gsm.encoding(t)} for t in texts])


def _target(to: str) -> tuple[str, str]:
    """Return the path (with query) to relay to and its channel; refuse anything else."""
    parts = urlsplit(to)
    channel = parts.path.split("/")[1] if parts.path.startswith("/") else ""
    if parts.scheme or parts.netloc or channel not in CHANNELS:
        abort(400, "the simulator relays only to /voice and /sms")
    return parts.path + (f"?{parts.query}" if parts.query else ""), channel


def _cookies_for(channel: str) -> str:
    prefix = f"sim-{channel}-"
    jar: SimpleCookie = SimpleCookie()
    for name, value in request.cookies.items():
        if name.startswith(prefix):
            jar[name.removeprefix(prefix)] = value
    return jar.output(attrs=[], header="", sep=";").strip()


def describe(menu: Menu) -> dict[str, Any]:
    """Return `ivr draw`'s tree, each line with the id it shows, and `ivr check`'s warnings."""
    # Review dates age, so a menu's warnings are worked out again each day.
    key = f"{menu.digest} {date.today()}"
    found = _described.get(key)
    if found is None:
        rows = []
        for i, line in enumerate(draw.tree(menu)):
            ids = _ID.findall(line)
            id = ids[-1] if ids else menu.main if i == 0 else (
                menu.person.id if menu.person.title in line else None)
            rows.append({"text": line, "id": id})
        try:
            source = Path(menu.path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            source = ""  # only places a warning's column; the warnings stand without it
        warnings = [f"{menu.path}:{f.line}: warning: {f.message}"
                    for f in check_content(menu, source)]
        if len(_described) > 8:  # a menu edited many times keeps only its recent versions here
            _described.clear()
        numbers = {t.number: t.id for t in menu.transfers.values()}
        found = _described[key] = {"tree": rows, "numbers": numbers, "warnings": warnings}
    return found
