"""The simulator page: on only when asked for, and its relay signs requests as Twilio does."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from flask import Blueprint, Response, request
from twilio.request_validator import RequestValidator
from twilio.twiml.voice_response import VoiceResponse

from ivr import create_app, draw

TOKEN = "12345678901234567890123456789012"
RELAY = {"X-IVR-Simulator": "1"}


def make(menu: str, **config: object):
    settings = {"TESTING": True, "SECRET_KEY": "test", "IVR_MENU": menu, "IVR_DEV": False,
                "IVR_SIMULATOR": False, **config}
    return create_app(settings)


@pytest.fixture
def sim(tmp_path, small_menu_text):
    path = tmp_path / "menus.yaml"
    path.write_text(small_menu_text)
    return make(str(path), IVR_DEV=True)


@pytest.mark.parametrize(("config", "status"), (
    ({}, 404),
    ({"IVR_DEV": True}, 200),
    ({"IVR_SIMULATOR": True}, 200),
    ({"IVR_SIMULATOR": True, "TWILIO_AUTH_TOKEN": TOKEN}, 200),
))
def test_the_page_is_served_only_when_the_simulator_is_on(shipped, config, status):
    client = make(str(shipped.path), **config).test_client()
    for path in ("/", "/simulator/static/simulator.js", "/simulator/menu.json"):
        with client.get(path) as answer:
            assert answer.status_code == status, path
    with client.get("/static/simulator.html") as answer:
        assert answer.status_code == 404  # no app-wide static folder serves the page anyway


def test_the_page_has_a_keypad_a_say_box_and_a_message_box(sim):
    with sim.test_client().get("/") as answer:
        html = answer.get_data(as_text=True)
    for key in "123456789*0#":
        assert f'data-key="{key}"' in html
    assert 'id="say"' in html and 'id="text"' in html and 'aria-live="polite"' in html


def test_menu_json_is_ivr_draws_tree_with_each_lines_id(sim):
    body = sim.test_client().get("/simulator/menu.json").get_json()
    menu = sim.extensions["ivr.menu"].current().menu
    assert [r["text"] for r in body["tree"]] == draw.tree(menu)
    ids = [r["id"] for r in body["tree"]]
    assert ids[:5] == ["main", "symptoms", "more", "treatment", "patient"]
    assert body["numbers"] == {"+16173556000": "patient"}
    assert body["digest"] == menu.digest and body["error"] is None


def test_menu_json_has_ivr_checks_warnings(tmp_path, small_menu_text):
    path = tmp_path / "menus.yaml"
    path.write_text(small_menu_text.replace("Surgery comes first.", "Surgery comes first. " * 40))
    app = make(str(path), IVR_DEV=True)
    warnings = app.test_client().get("/simulator/menu.json").get_json()["warnings"]
    assert warnings and all(w.startswith(f"{path}:") for w in warnings)
    assert any("segment" in w for w in warnings)


def test_menu_json_says_why_an_edit_did_not_load(tmp_path, small_menu_text):
    path = tmp_path / "menus.yaml"
    path.write_text(small_menu_text)
    app = make(str(path), IVR_DEV=True, IVR_RELOAD_SECONDS=0)
    good = app.test_client().get("/simulator/menu.json").get_json()["digest"]
    path.write_text(small_menu_text.replace("1: symptoms", "1: symptom"))
    body = app.test_client().get("/simulator/menu.json").get_json()
    assert body["digest"] == good  # the last good menu keeps serving
    assert any("symptom" in line for line in body["error"])


def echo_app(tmp_path, small_menu_text, **config):
    """The app with a stand-in /voice/echo that checks signatures and notes what it got."""
    path = tmp_path / "menus.yaml"
    path.write_text(small_menu_text)
    app = make(str(path), **config)
    app.extensions["echo"] = got = []
    bp = Blueprint("echo", __name__)

    @bp.post("/voice/echo")
    def echo():
        token = app.config.get("TWILIO_AUTH_TOKEN")
        valid = RequestValidator(token).validate(
            request.url, request.form.to_dict(), request.headers.get("X-Twilio-Signature", "")
        ) if token else None
        got.append({"valid": valid, "form": request.form.to_dict(),
                    "cookies": dict(request.cookies)})
        response = Response(str(VoiceResponse()), mimetype="text/xml")
        response.set_cookie("seen", request.form.get("CallSid", ""))
        return response

    app.register_blueprint(bp)
    return app


def test_the_relay_signs_with_the_token_and_keeps_each_channels_cookies(tmp_path,
                                                                        small_menu_text):
    app = echo_app(tmp_path, small_menu_text, IVR_SIMULATOR=True, TWILIO_AUTH_TOKEN=TOKEN)
    got = app.extensions["echo"]
    client = app.test_client()
    first = client.post("/simulator/relay?to=/voice/echo", data={"CallSid": "CA1"},
                        headers=RELAY)
    assert first.status_code == 200 and ET.fromstring(first.data).tag == "Response"
    assert got[0]["valid"] is True
    assert got[0]["form"] == {"CallSid": "CA1"}
    assert TOKEN not in first.get_data(as_text=True) + str(first.headers)
    assert client.get_cookie("sim-voice-seen").value == "CA1"
    client.set_cookie("sim-sms-session", "not-for-calls")
    client.post("/simulator/relay?to=/voice/echo", data={"CallSid": "CA2"}, headers=RELAY)
    assert got[1]["cookies"] == {"seen": "CA1"}  # the call's cookie came back, the text's did not
    client.post("/simulator/forget?channel=voice", headers=RELAY)
    assert client.get_cookie("sim-voice-seen") is None
    assert client.get_cookie("sim-sms-session") is not None


@pytest.mark.parametrize("to", (
    "/healthz", "http://elsewhere.example/voice", "//elsewhere.example/voice", "voice", "/",
))
def test_the_relay_reaches_only_the_webhooks(sim, to):
    answer = sim.test_client().post("/simulator/relay", query_string={"to": to}, headers=RELAY)
    assert answer.status_code == 400


def test_the_relay_refuses_requests_without_the_simulator_header(tmp_path, small_menu_text):
    app = echo_app(tmp_path, small_menu_text, IVR_SIMULATOR=True, TWILIO_AUTH_TOKEN=TOKEN)
    assert app.test_client().post("/simulator/relay?to=/voice/echo").status_code == 403


def test_the_relay_is_gone_when_the_simulator_is_off(tmp_path, small_menu_text):
    app = echo_app(tmp_path, small_menu_text, TWILIO_AUTH_TOKEN=TOKEN)
    answer = app.test_client().post("/simulator/relay?to=/voice/echo", headers=RELAY)
    assert answer.status_code == 404


def test_under_the_procfile_the_simulator_is_off(server):
    client = server.client()
    for path in ("/", "/simulator/menu.json", "/simulator/static/simulator.js"):
        assert client.get(path).status == 404, path
    relayed = client.post("/simulator/relay?to=/voice", {}, sign=False)
    assert relayed.status == 404


def test_segments_are_counted_as_the_text_line_counts_them(sim):
    texts = ["hello", "a" * 161, "ça va", "{" * 80, "{" * 81]
    answer = sim.test_client().post("/simulator/segments", data={"text": texts}).get_json()
    assert answer == [
        {"count": 1, "encoding": "GSM-7"},
        {"count": 2, "encoding": "GSM-7"},
        {"count": 1, "encoding": "UCS-2"},
        {"count": 1, "encoding": "GSM-7"},  # { costs two septets: 160 of them fit one segment
        {"count": 2, "encoding": "GSM-7"},
    ]


@pytest.mark.parametrize("config", (
    {"IVR_DEV": True},  # make run: no token, nothing to sign with
    {"IVR_SIMULATOR": True, "TWILIO_AUTH_TOKEN": TOKEN},
))
def test_the_relay_reaches_the_real_voice_line(shipped, config):
    client = make(str(shipped.path), **config).test_client()
    call = {"CallSid": "CA1", "From": "+16175550123", "To": "+16175550100"}
    answer = client.post("/simulator/relay?to=/voice", data=call, headers=RELAY)
    assert answer.status_code == 200
    gather = ET.fromstring(answer.data).find("Gather")
    assert gather is not None and gather.get("action").startswith("/voice/at/main/")
    direct = client.post("/voice", data=call)
    assert direct.status_code == (403 if "TWILIO_AUTH_TOKEN" in config else 200)
