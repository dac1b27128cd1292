"""What a caller hears for each kind of reply, as plain text, with no web app involved."""

from __future__ import annotations

import re

import pytest

from ivr.engine import Conversation, DialEnded, Key, Silence, Start, State, Words
from ivr.menu import parse_menu
from ivr.speech import answer, digits, hear, letters


@pytest.fixture
def small(small_menu_text):
    return Conversation(parse_menu(small_menu_text))


@pytest.mark.parametrize(("number", "said"), [
    ("+16173556000", "6 1 7, 3 5 5, 6 0 0 0"),
    ("+18442247337", "8 4 4, 2 2 4, 7 3 3 7"),
    ("+442079460000", "0 2 0, 7 9 4 6, 0 0 0 0"),
])
def test_a_phone_number_is_said_digit_by_digit_in_groups(number, said):
    assert digits(number) == said


def test_abbreviations_are_spelled_out_and_other_words_left_alone():
    assert letters("What ASPS is, call 911. I am OK.") == "What A S P S is, call 911. I am O K."
    assert letters("A lump that does not hurt.") == "A lump that does not hurt."


def test_the_welcome_is_the_notice_then_the_line_then_the_options(small):
    said = hear(small.menu, small.step(None, Start()))
    assert said == (
        "If this is a medical emergency, hang up and dial 911. This is the test line. "
        "Choose a topic. For symptoms, press 1. For more topics, press 2. "
        "To talk to a person, press 0. Or say what you are looking for."
    )


def test_a_greeting_that_forgets_the_name_still_says_it(small_menu_text):
    text = small_menu_text.replace("This is the test line.", "Welcome.")
    conv = Conversation(parse_menu(text))
    said = hear(conv.menu, conv.step(None, Start()))
    assert said.startswith("If this is a medical emergency, hang up and dial 911. Welcome. "
                           "You have reached the test line. Choose a topic.")


def test_a_greeting_that_names_the_line_in_capitals_says_it_once(small_menu_text):
    text = small_menu_text.replace("This is the test line.", "This is the ASPS line.")
    conv = Conversation(parse_menu(text.replace("name: the test line", "name: the ASPS line")))
    said = hear(conv.menu, conv.step(None, Start()))
    assert said.startswith("If this is a medical emergency, hang up and dial 911. "
                           "This is the A S P S line. Choose a topic.")


def test_an_answer_says_its_number_digit_by_digit_then_the_reminder(small):
    said = hear(small.menu, small.step(State("main"), Key("1")))
    assert said == (
        "A lump that does not hurt. Call 6 1 7, 3 5 5, 6 0 0 0 with questions. "
        "To hear that again, press star. For the main menu, press pound. "
        "To talk to a person, press 0."
    )


def test_another_menu_offers_pound_for_the_main_menu(small):
    said = hear(small.menu, small.step(State("main"), Key("2")))
    assert said == ("For treatment, press 1. For the main menu, press pound. "
                    "To talk to a person, press 0. Or say what you are looking for.")


def test_a_wrong_key_is_said_back_with_the_short_menu(small):
    said = hear(small.menu, small.step(State("main"), Key("7")))
    assert said == ("Sorry, 7 is not one of the choices. For symptoms, press 1. "
                    "For more topics, press 2. To talk to a person, press 0.")


def test_words_that_match_nothing_are_not_understood(small):
    said = hear(small.menu, small.step(State("main"), Words("purple elephants")))
    assert said.startswith("Sorry, I did not understand that. For symptoms, press 1.")


def test_silence_is_reprompted_shorter_than_the_menu(small):
    menu = hear(small.menu, small.step(State("main"), Key("#")))
    said = hear(small.menu, small.step(State("main"), Silence()))
    assert said.startswith("Sorry, I did not hear a choice. For symptoms, press 1.")
    assert len(said) < len(menu)
    assert "Or say what you are looking for." not in said


def test_the_third_silence_says_the_number_twice_and_goodbye(small):
    said = hear(small.menu, small.step(State("main", misses=2), Silence()))
    assert said == ("Sorry, I still did not hear a choice. To talk to a person, call "
                    "6 1 7, 3 5 5, 6 0 0 0. Again, that number is 6 1 7, 3 5 5, 6 0 0 0. "
                    "Thank you for calling. Goodbye.")


def test_the_third_wrong_key_connects_to_a_person(small):
    said = hear(small.menu, small.step(State("main", misses=2), Key("9")))
    assert said == ("Sorry, 9 is not one of the choices. Let me get you to someone who can "
                    "help. Connecting you to a person. Please hold.")


@pytest.mark.parametrize("status", ["busy", "no-answer", "failed", "canceled"])
def test_a_transfer_that_failed_gives_the_number_then_the_main_menu(small, status):
    said = hear(small.menu, small.step(State("main"), DialEnded("patient", status)))
    assert said == ("Sorry, no one could take your call just now. Please call "
                    "6 1 7, 3 5 5, 6 0 0 0. Again, that number is 6 1 7, 3 5 5, 6 0 0 0. "
                    "Or choose from the main menu. For symptoms, press 1. "
                    "For more topics, press 2. To talk to a person, press 0.")


def test_a_completed_transfer_says_goodbye(small):
    said = hear(small.menu, small.step(State("main"), DialEnded("patient", "completed")))
    assert said == "Thank you for calling. Goodbye."


def test_a_changed_menu_is_said_kindly(small):
    said = hear(small.menu, small.step(State("gone"), Key("1")))
    assert said.startswith("The menu has changed. Here is the main menu. Choose a topic.")


def test_no_answer_of_the_shipped_menu_says_a_number_as_one_big_number(conversation):
    menu = conversation.menu
    for topic in menu.topics.values():
        said = answer(menu, topic)
        assert "{" not in said
        # 911 and a street number are fine; a phone number would be 7 digits or more together.
        assert not re.search(r"\d{4,}", said), said
