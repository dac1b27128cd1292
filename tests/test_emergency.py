"""Words that may mean an emergency get the 911 notice before anything else, by call and text."""

from __future__ import annotations

import pytest
from test_call import _player
from test_sms import one

from ivr.engine import State, Words

EMERGENCIES = ["my son cant breathe", "my child is having trouble breathing",
               "she is bleeding a lot", "he had a seizure", "high fever after chemo",
               "is this an emergency", "EMERGENCY"]


@pytest.mark.parametrize("words", EMERGENCIES)
def test_the_engine_puts_an_emergency_before_any_topic(conversation, words):
    reply = conversation.step(State("main"), Words(words))
    assert reply.emergency and reply.answer is None and reply.transfer is None
    assert reply.state.misses == 0


@pytest.mark.parametrize("words", EMERGENCIES[:3])
def test_a_caller_who_says_an_emergency_hears_to_dial_911(client, words):
    call = _player(client)
    call.start()
    heard = call.say(words)
    assert heard.startswith("If this is a medical emergency, hang up and dial 911.")
    assert "To talk to a person, press 0." in heard
    assert "cured" not in heard


@pytest.mark.parametrize("words", EMERGENCIES[:3])
def test_a_texter_who_writes_an_emergency_reads_911_and_the_patient_line(client, words):
    reply = one(client, words)
    assert reply.splitlines()[:2] == [
        "This line is not for emergencies. In an emergency, call 911.",
        "To talk to a person, call 617-355-6000.",
    ]


@pytest.mark.parametrize("words", ["thanks!", "thank you so much", "ok", "ok thanks"])
def test_thanks_is_answered_kindly_and_is_not_a_miss(conversation, client, words):
    reply = conversation.step(State("main", misses=2), Words(words))
    assert reply.thanks and reply.trouble is None and reply.state.misses == 0
    one(client, "symptoms")
    assert one(client, words).startswith("You're welcome.")


def test_the_emergency_words_come_from_the_menu_file(small_menu_text):
    from ivr.engine import Conversation
    from ivr.menu import parse_menu

    text = small_menu_text.replace("  person: patient\n",
                                   "  person: patient\n  emergency: [smoke]\n")
    conversation = Conversation(parse_menu(text))
    assert conversation.step(State("main"), Words("I smell smoke")).emergency
    assert not conversation.step(State("main"), Words("breathing")).emergency
