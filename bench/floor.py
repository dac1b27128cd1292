"""The floor: the least a Flask app under the same gunicorn can do, for the line to be compared to.

Every POST returns a TwiML document of the size named in its path, so each of the line's requests
is compared with a reply of the same length.
"""

from __future__ import annotations

from flask import Flask, Response


def create_app() -> Flask:
    """Return an app that answers POST /<size> with that many bytes of TwiML."""
    app = Flask(__name__)

    @app.post("/<int:size>")
    def reply(size: int) -> Response:
        head, tail = '<?xml version="1.0" encoding="UTF-8"?><Response><Say>', "</Say></Response>"
        return Response(head + "x" * max(0, size - len(head) - len(tail)) + tail,
                        mimetype="text/xml")

    return app
