"""Helpers for tests that reach every Twilio-facing route: list the routes, sign requests."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from flask import Flask
from twilio.request_validator import RequestValidator
from werkzeug.routing import IntegerConverter

from ivr.security import twilio_facing

# The entry points are Twilio-facing even before a view is written for them.
ENTRY_POINTS = ("/voice", "/sms", "/voice/fallback", "/sms/fallback")


def post_rules(app: Flask) -> list:
    """Return the URL rules under /voice and /sms that take POST."""
    return [r for r in app.url_map.iter_rules()
            if "POST" in (r.methods or ()) and twilio_facing(r.rule)]


def build(app: Flask, rule, value: str = "main") -> str:
    """Build a path for `rule`, giving each of its variables `value` (or 1 for numbers)."""
    values = {a: 1 if isinstance(rule._converters[a], IntegerConverter) else value
              for a in rule.arguments}
    adapter = app.url_map.bind("localhost")
    return adapter.build(rule.endpoint, values, method="POST", append_unknown=False)


def twilio_paths(app: Flask) -> list[str]:
    """Return one path for every Twilio-facing POST route, entry points first."""
    paths = list(ENTRY_POINTS)
    for rule in post_rules(app):
        path = build(app, rule)
        if path not in paths:
            paths.append(path)
    return paths


def signed(token: str, url: str, params) -> dict[str, str]:
    """Return the X-Twilio-Signature header Twilio would send for `url` and `params`."""
    return {"X-Twilio-Signature": RequestValidator(token).compute_signature(url, params)}


def twiml(response) -> ET.Element:
    """Parse a test-client response as TwiML, checking it is a 200 XML <Response>."""
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == "text/xml"
    root = ET.fromstring(response.data)
    assert root.tag == "Response"
    return root
