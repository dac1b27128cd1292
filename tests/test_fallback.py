"""Never a dead end: with no menu, a broken view or a bad answer, people still reach a person."""

from __future__ import annotations

import shutil

import pytest
from conftest import SHIPPED
from flask import Response, request
from webhooks import twiml

from ivr import create_app
from ivr.fallback import answer

CALL = {"CallSid": "CA" + "ab" * 16, "From": "+16175550123", "To": "+16175550100"}
TEXT = {"MessageSid": "SM" + "cd" * 16, "From": "+16175550123", "To": "+16175550100",
        "Body": "hello"}


def make_app(menu, **config):
    return create_app({"TESTING": True, "SECRET_KEY": "test", "IVR_MENU": str(menu), **config})


def heard(root) -> str:
    return " ".join(say.text or "" for say in root.iter("Say"))


def dialled(root) -> str:
    return root.find("Dial").text


@pytest.fixture
def menu_copy(tmp_path, small_menu_text):
    path = tmp_path / "menus.yaml"
    path.write_text(small_menu_text.replace("+16173556000", "+16175550199"))
    return path


def test_voice_fallback_apologises_and_connects_to_a_person(client):
    root = twiml(client.post("/voice/fallback", data=CALL))
    assert [child.tag for child in root] == ["Say", "Dial", "Hangup"]
    assert "sorry" in heard(root).lower()
    assert "911" in heard(root)
    assert dialled(root) == "+16173556000"
    dial = root.find("Dial")
    assert dial.get("action") == "/voice/fallback/dialed"
    assert dial.get("timeout") == "30" and dial.get("answerOnBridge") == "true"


@pytest.mark.parametrize("status", ["busy", "no-answer", "failed", "canceled"])
@pytest.mark.parametrize("path", ["/voice/fallback/dialed", "/voice/fallback"])
def test_a_fallback_transfer_that_fails_says_the_number_and_never_redials(client, path, status):
    root = twiml(client.post(path, data={**CALL, "DialCallStatus": status}))
    assert [child.tag for child in root] == ["Say", "Hangup"]
    assert "6 1 7, 3 5 5, 6 0 0 0" in heard(root)  # said digit by digit


def test_a_fallback_transfer_that_connected_ends_politely(client):
    root = twiml(client.post("/voice/fallback/dialed", data={**CALL,
                                                             "DialCallStatus": "completed"}))
    assert heard(root) == "Thank you for calling. Goodbye."


def test_without_a_menu_a_failed_transfer_is_not_dialled_again(tmp_path):
    app = make_app(tmp_path / "missing.yaml")
    root = twiml(app.test_client().post("/voice/dialed/patient",
                                        data={**CALL, "DialCallStatus": "busy"}))
    assert root.find("Dial") is None and "6 1 7, 3 5 5, 6 0 0 0" in heard(root)


@pytest.mark.parametrize("body", ("hello", "HELP", ""))
def test_sms_fallback_gives_the_number(client, body):
    root = twiml(client.post("/sms/fallback", data={**TEXT, "Body": body}))
    text = root.find("Message").text
    assert "617-355-6000" in text
    assert "911" in text


@pytest.mark.parametrize("word", ("STOP", "stop ", "Unsubscribe", "START", "yes"))
def test_sms_fallback_leaves_opting_out_and_in_to_twilio(client, word):
    root = twiml(client.post("/sms/fallback", data={**TEXT, "Body": word}))
    assert list(root) == []


def test_fallbacks_work_with_the_menu_file_deleted(menu_copy):
    app = make_app(menu_copy, IVR_RELOAD_SECONDS=0)
    menu_copy.unlink()
    client = app.test_client()
    # The last good menu's person line, even though the file is gone.
    assert dialled(twiml(client.post("/voice/fallback", data=CALL))) == "+16175550199"
    assert "617-555-0199" in twiml(client.post("/sms/fallback", data=TEXT)).find(
        "Message").text
    health = client.get("/healthz").json
    assert health["ok"] is True  # still serving the last good menu
    assert "cannot read the file" in health["error"][0]


@pytest.mark.parametrize(("config", "number"), (
    ({}, "+16173556000"),
    ({"IVR_FALLBACK_NUMBER": "+18442247337"}, "+18442247337"),
))
def test_with_no_menu_ever_loaded_every_entry_point_falls_back(tmp_path, config, number):
    client = make_app(tmp_path / "missing.yaml", **config).test_client()
    for path in ("/voice", "/voice/fallback"):
        assert dialled(twiml(client.post(path, data=CALL))) == number
    for path in ("/sms", "/sms/fallback"):
        assert number[-4:] in twiml(client.post(path, data=TEXT)).find("Message").text
    assert client.get("/healthz").status_code == 503


def test_the_shipped_menu_and_the_default_agree():
    """IVR_FALLBACK_NUMBER defaults to the shipped menu's person line."""
    from ivr.menu import load_menu
    assert load_menu(SHIPPED).person.number == "+16173556000"


def broken_app(**config):
    """An app with views under /voice and /sms that fail in the ways views can."""
    app = create_app({"SECRET_KEY": "test", "TWILIO_AUTH_TOKEN": "t" * 32,
                      "IVR_MENU": str(SHIPPED), **config})

    def boom() -> Response:
        raise ValueError("caller said " + request.form.get("Body", ""))

    app.add_url_rule("/voice/boom", "vboom", boom, methods=["POST"])
    app.add_url_rule("/sms/boom", "sboom", boom, methods=["POST"])
    app.add_url_rule("/voice/keyerror", "keyerror", lambda: request.form["Digits"],
                     methods=["POST"])
    app.add_url_rule("/voice/nul", "nul", methods=["POST"], view_func=lambda: Response(
        '<?xml version="1.0"?><Response><Say>you said a\x00b\x1b</Say></Response>',
        mimetype="text/xml"))
    app.add_url_rule("/voice/words", "words", lambda: "not TwiML", methods=["POST"])
    app.add_url_rule("/sms/nothing", "nothing", lambda: ("", 204), methods=["POST"])
    app.add_url_rule("/voice/teapot", "teapot", methods=["POST"],
                     view_func=lambda: (str(answer("/voice").get_data(as_text=True)), 418))
    app.add_url_rule("/boom", "boom", boom, methods=["POST"])
    return app


@pytest.fixture
def unsigned_broken_app():
    # Not TESTING (errors are handled as in production), unsigned: this is about the answers.
    return broken_app(TWILIO_AUTH_TOKEN=None, IVR_DEV=True)


def test_an_exception_in_a_voice_view_is_answered_with_the_fallback(unsigned_broken_app, caplog):
    client = unsigned_broken_app.test_client()
    root = twiml(client.post("/voice/boom", data={**CALL, "Body": "my secret"}))
    assert dialled(root) == "+16173556000"
    assert "ValueError" in caplog.text
    assert "/voice/boom" in caplog.text


def test_an_exception_in_an_sms_view_is_answered_with_the_text_fallback(unsigned_broken_app):
    root = twiml(unsigned_broken_app.test_client().post("/sms/boom", data=TEXT))
    assert "617-355-6000" in root.find("Message").text


def test_production_logs_say_where_it_broke_but_not_what_was_said(unsigned_broken_app, caplog):
    unsigned_broken_app.config["IVR_DEV"] = False
    client = unsigned_broken_app.test_client()
    twiml(client.post("/sms/boom", data={**TEXT, "Body": "my lump hurts"}))
    assert "ValueError at test_fallback.py:" in caplog.text
    assert TEXT["MessageSid"] in caplog.text  # the correlation id
    assert "lump" not in caplog.text
    assert "5550123" not in caplog.text


def test_a_missing_field_is_not_a_400(unsigned_broken_app):
    twiml(unsigned_broken_app.test_client().post("/voice/keyerror", data=CALL))


def test_characters_xml_cannot_carry_are_dropped_from_answers(unsigned_broken_app):
    root = twiml(unsigned_broken_app.test_client().post("/voice/nul", data=CALL))
    assert root.find("Say").text == "you said ab"


@pytest.mark.parametrize("path", ("/voice/words", "/voice/teapot"))
def test_an_answer_that_is_not_twiml_becomes_the_fallback(unsigned_broken_app, path, caplog):
    root = twiml(unsigned_broken_app.test_client().post(path, data=CALL))
    assert dialled(root) == "+16173556000"
    assert "sent the fallback instead" in caplog.text


def test_an_empty_answer_stays_silent_but_valid(unsigned_broken_app):
    assert list(twiml(unsigned_broken_app.test_client().post("/sms/nothing", data=TEXT))) == []


def test_routes_outside_twilio_keep_ordinary_errors(unsigned_broken_app):
    client = unsigned_broken_app.test_client()
    assert client.post("/boom").status_code == 500
    assert client.get("/nowhere").status_code == 404


def test_the_fallback_through_gunicorn_with_the_menu_deleted(tmp_path):
    from twilio_client import Server

    menu = tmp_path / "menus.yaml"
    shutil.copy(SHIPPED, menu)
    server = Server(menu)
    try:
        menu.unlink()
        client = server.client()
        root = client.post("/voice/fallback", CALL).twiml
        assert root.find("Dial").text == "+16173556000"
        assert "617-355-6000" in client.post("/sms/fallback", TEXT).twiml.find("Message").text
    finally:
        server.stop()


def test_replacing_an_answer_keeps_the_views_cookies(unsigned_broken_app):
    def words_and_a_cookie() -> Response:
        r = Response("not TwiML")
        r.set_cookie("where", "more")
        return r

    def nothing_and_a_cookie() -> Response:
        r = Response("", 204)
        r.set_cookie("where", "main")
        return r

    app = unsigned_broken_app
    app.add_url_rule("/sms/cookie", "cookie", words_and_a_cookie, methods=["POST"])
    app.add_url_rule("/sms/quiet", "quiet", nothing_and_a_cookie, methods=["POST"])
    for path, where in (("/sms/cookie", "more"), ("/sms/quiet", "main")):
        r = app.test_client().post(path, data=TEXT)
        twiml(r)
        assert f"where={where}" in r.headers["Set-Cookie"]
