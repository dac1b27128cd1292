"""Whole calls against the app under gunicorn from the Procfile, signed as Twilio signs them."""

from __future__ import annotations

import pytest
from call_player import Call

PATIENT = "6 1 7, 3 5 5, 6 0 0 0"


@pytest.fixture
def call(server) -> Call:
    twilio = server.client()

    def post(path: str, form: dict[str, str]) -> tuple[int, str, str]:
        answer = twilio.post(path, form)
        return answer.status, answer.content_type, answer.body

    return Call(post)


def test_a_caller_finds_an_answer_asks_for_a_person_and_gets_the_number_back(call):
    heard = call.start()
    assert heard.startswith("If this is a medical emergency, hang up and dial 911. You have "
                            "reached the Dana-Farber and Boston Children's information line")
    assert call.press("5").startswith("More topics. For how common it is, press 1.")
    causes = call.press("3")
    assert causes.startswith("No one knows for sure what causes A S P S.")
    assert call.press("*") == causes
    assert call.say("I want to talk to someone") == "Connecting you to a person. Please hold."
    heard = call.dial_ends("no-answer")
    assert heard.startswith(f"Sorry, no one could take your call just now. Please call {PATIENT}.")
    assert call.press("#").startswith("Choose a topic.")
    assert call.press("2").startswith("Signs differ from child to child.")
    call.press("0")
    assert call.dial_ends("completed") == "Thank you for calling. Goodbye."
    assert call.ended


def test_a_silent_caller_hears_the_number_and_goodbye_under_gunicorn(call):
    call.start()
    call.press("8")
    call.silence()
    heard = call.silence()
    assert heard.endswith(f"Again, that number is {PATIENT}. Thank you for calling. Goodbye.")
    assert call.ended
