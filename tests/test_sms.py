"""POST /sms through the test client, cookies kept as Twilio keeps them: what the texter reads."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from conftest import SHIPPED
from test_matcher import shared_examples

from ivr import create_app, gsm
from ivr.texting import number

NOTICE = "This line is not for emergencies. In an emergency, call 911."
TEXTER = {"From": "+16175550123", "To": "+16175550100", "MessageSid": "SM" + "0" * 32}


def text(client, body: str) -> list[str]:
    """Send one text as Twilio would; return the bodies of the messages sent back."""
    response = client.post("/sms", data={**TEXTER, "Body": body})
    assert response.status_code == 200
    assert response.mimetype == "text/xml"
    root = ET.fromstring(response.data)
    assert root.tag == "Response"
    assert all(child.tag == "Message" for child in root)
    return [m.text or "" for m in root.findall("Message")]


def one(client, body: str) -> str:
    bodies = text(client, body)
    assert len(bodies) == 1, bodies
    return bodies[0]


def test_a_whole_conversation_keeps_the_texters_place_in_the_cookie(client):
    welcome = one(client, "Hi")
    assert welcome.split("\n")[0] == NOTICE
    assert "1 What ASPS is" in welcome.split("\n")
    assert one(client, "5").startswith("More topics.")
    assert one(client, "2").startswith("Sometimes ASPS can be cured.")
    assert one(client, "3").startswith("No one knows for sure what causes ASPS.")
    said = one(client, "0")
    assert "To talk to a person, call 617-355-6000." in said
    assert "For doctors referring a patient, call 844-224-7337." in said
    assert one(client, "menu").split("\n")[1] == "1 What ASPS is"
    assert one(client, "where is the hospital").startswith("Care is given by")


def test_a_long_answer_is_sent_in_parts_with_more(client):
    first = one(client, "symptoms")
    assert first.endswith("Reply MORE for the rest.")
    assert one(client, "more").startswith("A lump can grow for a long time")


def test_without_the_cookie_a_text_starts_from_the_main_menu(app):
    one(app.test_client(), "5")
    fresh = app.test_client()
    assert one(fresh, "2").split("\n")[1].startswith("Signs differ from child to child.")


def test_the_cookie_lasts_four_hours_as_twilio_keeps_it(client):
    response = client.post("/sms", data={**TEXTER, "Body": "hi"})
    cookie = response.headers["Set-Cookie"]
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0])
    left = expires - datetime.now(UTC)
    assert timedelta(hours=3, minutes=59) < left <= timedelta(hours=4)


@pytest.mark.parametrize("word", ("STOP", "stop", "Unsubscribe", "cancel", "END", "quit",
                                  "revoke", "optout", "STOPALL", "start", "unstop", "yes"))
def test_opt_out_words_get_an_empty_response_and_forget_the_texter(client, word):
    one(client, "hi")
    one(client, "5")
    assert text(client, word) == []
    assert client.get_cookie("session") is None
    assert one(client, "hi").startswith(NOTICE)


@pytest.mark.parametrize("word", ("HELP", "info"))
def test_help_names_the_line_the_number_and_how_to_opt_out(client, word):
    said = one(client, word)
    assert "information line for alveolar soft part sarcoma" in said
    assert "617-355-6000" in said
    assert said.endswith("Reply STOP to opt out. Msg & data rates may apply.")


def test_every_shared_example_is_answered_with_its_topic(app, shipped):
    for body, id in shared_examples():
        said = one(app.test_client(), body)
        node = shipped.node(id)
        lines = said.split("\n")
        assert lines[0] == NOTICE
        if id in shipped.transfers:
            assert number(shipped.transfers[id]) in said, body
        else:
            assert lines[1].startswith(node.texted.plain()[:40]), body
        assert gsm.is_gsm(said) and gsm.segments(said) <= 2


def test_typing_nothing_still_gets_an_answer(client):
    assert one(client, "").startswith(NOTICE)
    assert one(client, "   ").startswith("Sorry, I did not understand that.")


def test_without_a_secret_key_each_text_stands_alone_but_is_answered():
    app = create_app({"TESTING": True, "SECRET_KEY": None, "IVR_MENU": str(SHIPPED)})
    client = app.test_client()
    assert one(client, "hi").startswith(NOTICE)
    assert one(client, "5").startswith(NOTICE)  # no cookie: picked from the main menu


def test_with_no_menu_loaded_the_texter_still_gets_a_reply(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "IVR_MENU": str(tmp_path / "no.yaml")})
    said = one(app.test_client(), "hi")
    assert "call 911" in said


@pytest.mark.parametrize("body", ["Stop.", "Stop!", "stop texting me", "please stop",
                                  "unsubscribe me"])
def test_asking_to_stop_in_other_words_says_how_and_never_sends_the_menu(client, body):
    assert text(client, body) == ["To stop getting texts from this line, reply STOP."]


def test_help_as_a_first_text_starts_with_the_notice(client):
    first = one(client, "HELP")
    assert first.splitlines()[0] == NOTICE
    assert "617-355-6000" in first and "Reply STOP to opt out." in first
    one(client, "symptoms")
    assert one(client, "HELP").splitlines()[0] != NOTICE
