"""The voice TwiML: what Twilio is told to do, read from the parsed response."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from ivr import speech
from ivr.engine import DialEnded, Key, Silence, Start, State, Words
from ivr.voice import hints, render


def _post(client, path: str, **form: str) -> ET.Element:
    r = client.post(path, data=form)
    assert r.status_code == 200
    assert r.mimetype == "text/xml"
    return ET.fromstring(r.get_data(as_text=True))


def test_a_menu_listens_for_one_key_or_speech_and_lets_pound_through(client, shipped):
    root = _post(client, "/voice")
    gather = root.find("Gather")
    assert gather.get("input") == "dtmf speech"
    assert gather.get("finishOnKey") == ""
    assert gather.get("numDigits") == "1"
    assert gather.get("speechTimeout") == "auto"
    assert gather.get("language") == shipped.settings.language == "en-US"
    assert gather.get("method") == "POST"
    assert gather.get("action") == "/voice/at/main/-/0/-"


def test_silence_falls_through_the_gather_to_a_redirect(client):
    root = _post(client, "/voice/at/more/-/1/-", Digits="9")
    assert [v.tag for v in root] == ["Gather", "Redirect"]
    assert root.find("Redirect").text == "/voice/quiet/more/-/2/-"
    assert root.find("Redirect").get("method") == "POST"


def test_every_say_uses_the_menus_voice_and_language(client, shipped):
    for path, form in [("/voice", {}), ("/voice/at/main/-/0/-", {"Digits": "0"}),
                       ("/voice/quiet/main/-/2/-", {}), ("/voice/dialed/patient",
                                                         {"DialCallStatus": "busy"})]:
        says = list(_post(client, path, **form).iter("Say"))
        assert says
        for say in says:
            assert say.get("voice") == shipped.settings.voice == "Polly.Joanna-Neural"
            assert say.get("language") == "en-US"


def test_hints_hold_the_topics_and_lines_words_within_twilios_limits(shipped):
    entries = hints(shipped).split(", ")
    for phrase in ("symptoms", "what asps is", "talk to someone", "chemo", "referral"):
        assert phrase in entries
    assert len(entries) == len(set(entries)) <= 500
    assert all(0 < len(e) <= 100 and "," not in e for e in entries)


def test_the_gather_carries_the_hints_built_once_per_menu(client, shipped):
    assert _post(client, "/voice").find("Gather").get("hints") == hints(shipped)
    assert hints(shipped) is hints(shipped)


def test_a_transfer_says_it_then_dials_with_a_timeout_and_an_action(client):
    root = _post(client, "/voice/at/more/-/0/-", Digits="0")
    assert [v.tag for v in root] == ["Say", "Dial"]
    dial = root.find("Dial")
    assert dial.get("answerOnBridge") == "true"
    assert 15 <= int(dial.get("timeout")) <= 60
    assert dial.get("action") == "/voice/dialed/patient"
    assert dial.find("Number").text == "+16173556000"


def test_a_goodbye_hangs_up(client):
    root = _post(client, "/voice/dialed/patient", DialCallStatus="completed")
    assert [v.tag for v in root] == ["Say", "Hangup"]


@pytest.mark.parametrize(("path", "form", "action"), [
    ("/voice/at/main/-/0/-", {"Digits": "2"}, "/voice/at/main/symptoms/0/-"),
    ("/voice/at/more/-/0/-", {"Digits": "3"}, "/voice/at/more/causes/0/-"),
    ("/voice/at/main/symptoms/0/-", {"Digits": "9"}, "/voice/at/main/symptoms/1/-"),
    ("/voice/at/main/-/0/-", {"SpeechResult": "doctor"}, "/voice/at/main/-/0/questions.referral"),
    ("/voice/at/main/-/0/questions.referral", {"Digits": "1"}, "/voice/at/main/questions/0/-"),
    ("/voice/at/main/-/2/-", {"Digits": "1"}, "/voice/at/main/what-is/0/-"),
    ("/voice/at/main/-/0/-", {}, "/voice/at/main/-/1/-"),
])
def test_where_the_call_is_travels_in_the_action_path(client, path, form, action):
    assert _post(client, path, **form).find("Gather").get("action") == action


def test_digits_win_over_speech_when_twilio_sends_both(client):
    root = _post(client, "/voice/at/main/-/0/-", Digits="3", SpeechResult="symptoms")
    assert root.find("Gather").get("action") == "/voice/at/main/treatment/0/-"


@pytest.mark.parametrize(("state", "event"), [
    (None, Start()),
    (State("main"), Key("8")),
    (State("more", "causes"), Key("*")),
    (State("main", misses=2), Silence()),
    (State("main"), Words("doctor")),
    (State("main"), DialEnded("patient", "busy")),
    (State("main"), Key("0")),
])
def test_the_twiml_says_exactly_what_speech_hears(app, conversation, state, event):
    reply = conversation.step(state, event)
    with app.test_request_context():
        root = ET.fromstring(str(render(conversation.menu, reply)))
    said = " ".join("".join(s.itertext()) for s in root.iter("Say"))
    assert said == speech.hear(conversation.menu, reply)


def test_an_unknown_route_is_not_a_dead_end(client):
    # ivr.fallback answers a route or method that does not exist with a person, not an error.
    for r in (client.post("/voice/at/main/-/x/-"), client.get("/voice")):
        assert r.status_code == 200
        assert ET.fromstring(r.data).find("Dial").text == "+16173556000"
