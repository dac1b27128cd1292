"""GET /healthz: is the line up, which menu is in use, and why the last edit did not load."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Report the menu in use and the last load error."""
    live = current_app.extensions["ivr.menu"]
    conv = live.current()
    body = {
        "ok": conv is not None,
        "menu": conv.menu.digest if conv else None,
        "path": live.path,
        "error": live.error.lines() if live.error else None,
    }
    return jsonify(body), 200 if conv else 503
