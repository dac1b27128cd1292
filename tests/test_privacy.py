"""The logs of a whole call and text conversation hold no phone number and no message text."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import SHIPPED
from twilio_client import Server

CALLER, LINE = "+16175550134", "+16175550178"
# Words no menu or log would hold unless a caller's words leaked into it.
SECRETS = ("quokka", "zebrafish", "marmalade", "Lindqvist")
KEYS = ("2", "*", "9", "#", "1", "", "0")


def leaks(output: str) -> list[str]:
    """Return every caller number (in any common format) or secret word found in `output`."""
    found = [w for w in SECRETS if w.lower() in output.lower()]
    for number in (CALLER, LINE):
        digits = number[2:]
        pattern = rf"{digits[:3]}\D{{0,2}}{digits[3:6]}\D?{digits[6:]}"
        found += re.findall(pattern, output)
    return found


def play_call(client) -> list[str]:
    """Call the line and follow its TwiML like Twilio, pressing keys and saying secret words."""
    params = {"CallSid": "CA" + "5" * 32, "From": CALLER, "To": LINE, "Caller": CALLER,
              "Called": LINE, "CallStatus": "in-progress", "FromCity": "BOSTON"}
    url, heard, said = "/voice", [], iter(SECRETS)
    extra: dict[str, str] = {}
    for key in (*KEYS, None):
        root = client.post(url, {**params, **extra}).twiml
        heard += [say.text or "" for say in root.iter("Say")]
        if key is None:
            break
        gather, redirect, dial = (root.find(".//Gather"), root.find("Redirect"),
                                  root.find("Dial"))
        if gather is not None and gather.get("action"):
            url = urljoin(url, gather.get("action"))
            extra = {"Digits": key} if key else {"SpeechResult": f"my {next(said)} is sick",
                                                 "Confidence": "0.9"}
        elif redirect is not None:
            url, extra = urljoin(url, redirect.text), {}
        elif dial is not None and dial.get("action"):
            url, extra = urljoin(url, dial.get("action")), {"DialCallStatus": "no-answer"}
        else:
            break
    return heard


def play_texts(client) -> list[str]:
    """Text the line: a greeting, topics, keys, secret words and a number inside a message."""
    bodies = ["Hi", "symptoms", "2", f"my son {SECRETS[0]} has a lump", "0",
              f"call me at {CALLER}", SECRETS[3], "HELP"]
    read = []
    for n, body in enumerate(bodies):
        root = client.post("/sms", {"MessageSid": f"SM{n:032d}", "From": CALLER, "To": LINE,
                                    "Body": body, "NumMedia": "0", "FromCity": "BOSTON"}).twiml
        read += [m.text or "" for m in root.iter("Message")]
        read += [b.text or "" for b in root.iter("Body")]
    return read


@pytest.fixture(scope="module")
def conversation_log():
    server = Server(SHIPPED)
    try:
        client = server.client()
        heard = play_call(client)
        read = play_texts(client)
        for path in ("/voice/fallback", "/sms/fallback"):
            client.post(path, {"From": CALLER, "To": LINE, "Body": SECRETS[2]})
        client.post("/sms", {"From": CALLER, "Body": SECRETS[1]}, sign=False)  # refused
        # A query string (Twilio signs and sends one if a URL in the console has it).
        client.post(f"/voice/fallback?Caller={CALLER}&note={SECRETS[3]}", {"From": CALLER})
    finally:
        server.stop()
    return server.final, heard, read


def test_the_conversation_happened(conversation_log):
    output, heard, read = conversation_log
    assert heard and read
    assert output.count('"POST /voice/at/') >= len(KEYS) - 1  # the call went through the menus
    assert output.count('"POST /sms') >= 8


def test_the_log_holds_no_number_and_no_message_text(conversation_log):
    output, _, _ = conversation_log
    assert leaks(output) == [], output


def test_the_access_log_shows_paths_only(conversation_log):
    output, _, _ = conversation_log
    requests = re.findall(r'"POST (\S+)" (\d{3})', output)
    assert requests
    for path, _ in requests:
        assert "?" not in path
        assert urlsplit(path).path == path
        assert not re.search(r"\d{7}", path)


def test_the_leak_check_can_fail():
    assert leaks(f"From={CALLER}") and leaks("617-555-0134") and leaks("(617) 555-0178")
    assert leaks("text: Quokka")
