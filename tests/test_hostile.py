"""Whatever a caller or texter sends, every Twilio-facing route answers valid TwiML with 200."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET

import pytest
from conftest import SHIPPED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from webhooks import ENTRY_POINTS, build, post_rules, twiml

from ivr import create_app
from ivr.menu import load_menu

TWILIO_KEYS = ("From", "To", "Body", "Digits", "SpeechResult", "Confidence", "CallSid",
               "MessageSid", "AccountSid", "CallStatus", "DialCallStatus", "NumMedia",
               "SmsStatus", "Caller", "Called", "FromCity")
# Lone surrogates cannot be sent as UTF-8, so no client can send them; everything else can.
ANY_CHAR = st.characters(exclude_categories=("Cs",))
NASTY = ("", " ", "\x00", "\x00\x01\x1b\x7f", "\ufffe\uffff", "<Say>hi</Say>", "]]>", "&amp;",
         "<!DOCTYPE x [<!ENTITY a 'b'>]>", "0", "*", "#", "9" * 30, "STOP", "HELP", "main",
         "nowhere", "../../etc/passwd", "%00", "\u202e\u200b", "𝕊𝕪𝕞𝕡𝕥𝕠𝕞𝕤", "síntomas",
         "1.0", "-1", "completed", "busy")
VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.text(ANY_CHAR, max_size=40),
    st.text(st.characters(max_codepoint=0x1f), max_size=10),  # control characters only
    st.builds(lambda s, n: s * n, st.text(ANY_CHAR, min_size=1, max_size=3),
              st.integers(1000, 30_000)),  # huge
)
FORMS = st.dictionaries(st.one_of(st.sampled_from(TWILIO_KEYS), st.text(ANY_CHAR, min_size=1,
                                                                         max_size=12)),
                        VALUES, max_size=8)


def app_for_paths():
    return create_app({"TESTING": True, "SECRET_KEY": "t", "IVR_MENU": str(SHIPPED)})


def paths(app) -> st.SearchStrategy[str]:
    """Every Twilio-facing POST route, its variables filled with ids or with anything at all."""
    menu = load_menu(SHIPPED)
    ids = [*sorted({*menu.menus, *menu.topics, *menu.transfers}), "gone"]
    value = st.one_of(st.sampled_from(ids), st.text(ANY_CHAR, min_size=1, max_size=20))
    rules = [st.builds(lambda r=rule, v="": build(app, r, v), v=value)
             if rule.arguments else st.just(build(app, rule)) for rule in post_rules(app)]
    return st.one_of(st.sampled_from(ENTRY_POINTS), *rules)


class Errors(logging.Handler):
    """Collect ERROR records: a view that raised or answered something that was not TwiML."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


_app = app_for_paths()


@pytest.fixture(scope="module")
def app():
    return _app


@pytest.fixture(scope="module")
def errors():
    handler = Errors()
    logging.getLogger("ivr").addHandler(handler)
    yield handler
    logging.getLogger("ivr").removeHandler(handler)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(path=paths(_app), form=FORMS)
def test_any_form_gets_valid_twiml(app, errors, path, form):
    errors.messages.clear()
    root = twiml(app.test_client().post(path, data=form))
    assert root.tag == "Response"
    # The route answered on its own: no view raised, nothing had to be replaced.
    assert errors.messages == [], errors.messages


@pytest.mark.parametrize("body", (b"Body=\xff\xfe&From=%FF%00", b"\x00" * 100, b"=&=&&&",
                                  b"Body=" + b"%F0%9F" * 50, b"a=1&" * 2000))
def test_bytes_that_are_not_a_form_get_valid_twiml(app, body):
    for path in ENTRY_POINTS:
        twiml(app.test_client().post(path, data=body,
                                     content_type="application/x-www-form-urlencoded"))


def test_json_and_other_bodies_get_valid_twiml(app):
    for path in ENTRY_POINTS:
        twiml(app.test_client().post(path, json={"Body": ["x"]}))
        twiml(app.test_client().post(path, data=b"<x/>", content_type="text/xml"))


SIGNED_FORMS = st.dictionaries(st.sampled_from(TWILIO_KEYS), VALUES, max_size=6)


@settings(max_examples=400, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(path=paths(_app), form=SIGNED_FORMS)
def test_hundreds_of_hostile_signed_requests_against_gunicorn(server, path, form):
    answer = server.client().post(path, form)
    assert answer.status == 200, (path, answer.body[:300])
    assert ET.fromstring(answer.body).tag == "Response"


@pytest.mark.parametrize("path", ("/voice//", "/voice/at//0//0/1//0", "/sms/", "/voice/%00",
                                  "/voice/at/main/-/99999999999999999999999/-"))
def test_odd_paths_get_valid_twiml(app, path):
    twiml(app.test_client().post(path, data={"Digits": "1"}))
