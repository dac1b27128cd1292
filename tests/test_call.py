"""Whole calls to the shipped line, played through the test client as Twilio plays them."""

from __future__ import annotations

import re

import pytest
from call_player import Call
from conftest import SHIPPED

from ivr import create_app, speech
from ivr.menu import load_menu
from ivr.model import MenuNode, Topic

MENU = load_menu(SHIPPED)
PATIENT = "6 1 7, 3 5 5, 6 0 0 0"
REMINDER = ("To hear that again, press star. For the main menu, press pound. "
            "To talk to a person, press 0.")


def _paths() -> list[tuple[tuple[str, ...], str]]:
    """Return every key path from the main menu to a topic or transfer line, with its id."""
    paths, todo = [], [((), MENU.home)]
    while todo:
        keys, menu = todo.pop(0)
        for option in menu.options:
            node = MENU.node(option.target)
            if isinstance(node, MenuNode):
                todo.append(((*keys, option.key), node))
            else:
                paths.append(((*keys, option.key), option.target))
    return paths


PATHS = _paths()


def _player(client) -> Call:
    def post(path: str, form: dict[str, str]) -> tuple[int, str, str]:
        r = client.post(path, data=form)
        return r.status_code, r.content_type, r.get_data(as_text=True)

    return Call(post)


@pytest.fixture
def call(client) -> Call:
    c = _player(client)
    c.start()
    return c


def _words_before(text: str, mark: str) -> int:
    """Count the words said before `mark`, each digit and spelled-out letter as one word."""
    head = text[: text.index(mark) + len(mark)]
    return sum(len(w) if w.isdigit() else 1 for w in re.findall(r"[\w'-]+", head))


def test_the_call_opens_with_the_emergency_notice_then_the_name_then_the_options(client):
    heard = _player(client).start()
    assert heard.startswith("If this is a medical emergency, hang up and dial 911. ")
    name = heard.index(MENU.settings.name)
    assert name < heard.index("For what A S P S is, press 1.") < heard.index("press 6.")
    assert "To talk to a person, press 0." in heard
    # Polly speaks about 150 to 160 words a minute: 40 words is the first option by about 15 s.
    assert _words_before(heard, "press 1.") <= 40


def test_every_topic_of_the_shipped_menu_has_a_key_path():
    assert {target for _, target in PATHS} == set(MENU.topics) | {"referral"}


@pytest.mark.parametrize(("keys", "target"), PATHS)
def test_each_option_path_says_its_topic_then_the_reminder(call, keys, target):
    *menus, last = keys
    for key in menus:
        call.press(key)
    heard = call.press(last)
    node = MENU.node(target)
    if isinstance(node, Topic):
        assert heard == speech.answer(MENU, node) + " " + REMINDER
        first_words = " ".join(node.spoken.plain().split()[:4])
        assert speech.letters(first_words) in heard
        assert call.gather is not None
    else:
        assert heard == "Connecting your call. Please hold."
        assert call.dial.find("Number").text == node.number == "+18442247337"


def test_a_number_in_an_answer_is_said_digit_by_digit(call):
    call.press("5")
    heard = call.press("6")  # support for your family
    assert f"call the patient line at {PATIENT}." in heard
    assert "6173556000" not in heard and "{patient}" not in heard


def test_the_keys_of_the_menu_the_caller_came_from_still_work_after_an_answer(call):
    call.press("5")
    call.press("3")  # what causes it, on the "more topics" menu
    heard = call.press("1")  # "more topics" 1 is how common it is; main 1 is what ASPS is
    assert heard.startswith(speech.answer(MENU, MENU.topics["how-common"]))


@pytest.mark.parametrize(("words", "start"), [
    ("symptoms", "Signs differ from child to child."),
    ("Symptoms.", "Signs differ from child to child."),
    ("is there a cure", "Sometimes A S P S can be cured."),
    ("two", "Signs differ from child to child."),
])
def test_a_caller_can_say_a_topic(call, words, start):
    assert call.say(words).startswith(start)


def test_a_caller_who_asks_for_someone_is_connected_to_the_patient_line(call):
    assert call.say("I want to talk to someone") == "Connecting you to a person. Please hold."
    assert call.dial.find("Number").text == "+16173556000"
    assert call.dial.get("action") == "/voice/dialed/patient"


def test_words_that_fit_two_topics_offer_both_by_number(call):
    heard = call.say("doctor")
    assert heard.startswith("That could be more than one topic. For questions to ask the doctor, "
                            "press 1. For doctors referring a patient, press 2.")
    assert call.press("1").startswith("It helps to write your questions down.")


def test_star_repeats_the_answer_and_then_the_menu(call):
    answer = call.press("2")
    assert call.press("*") == answer
    call.press("#")
    menu = call.press("5")
    assert call.press("*") == menu


def test_pound_goes_to_the_main_menu_from_anywhere(call):
    call.press("5")
    call.press("2")
    heard = call.press("#")
    assert heard.startswith("Choose a topic. For what A S P S is, press 1.")
    assert "If this is a medical emergency" not in heard
    assert call.press("2").startswith("Signs differ")


@pytest.mark.parametrize("keys", [(), ("5",), ("2",), ("5", "4")])
def test_zero_connects_to_the_patient_line_from_anywhere(call, keys):
    for key in keys:
        call.press(key)
    assert call.press("0") == "Connecting you to a person. Please hold."
    assert call.dial.find("Number").text == "+16173556000"


def test_a_wrong_key_says_so_then_the_short_menu(call):
    heard = call.press("8")
    assert heard.startswith("Sorry, 8 is not one of the choices. For what A S P S is, press 1.")
    assert "Choose a topic." not in heard
    assert call.press("2").startswith("Signs differ")


def test_a_good_choice_clears_the_wrong_keys(call):
    call.press("8")
    call.press("9")
    call.press("2")
    assert call.press("8").startswith("Sorry, 8 is not one of the choices.")
    assert call.press("7").startswith("Sorry, 7 is not one of the choices.")
    assert call.dial is None


def test_three_wrong_keys_in_a_row_connect_to_a_person(call):
    call.press("8")
    call.say("purple elephants")
    heard = call.press("9")
    assert heard == ("Sorry, 9 is not one of the choices. Let me get you to someone who can "
                     "help. Connecting you to a person. Please hold.")
    assert call.dial.find("Number").text == "+16173556000"


def test_silence_gets_a_shorter_prompt(call):
    full = call.press("#")
    heard = call.silence()
    assert heard.startswith("Sorry, I did not hear a choice. For what A S P S is, press 1.")
    assert len(heard) < len(full)
    assert call.press("3").startswith("Surgery to take out the tumor")


def test_a_caller_who_stays_silent_hears_the_number_and_goodbye(call):
    call.silence()
    call.silence()
    heard = call.silence()
    assert heard == (f"Sorry, I still did not hear a choice. To talk to a person, call {PATIENT}."
                     f" Again, that number is {PATIENT}. Thank you for calling. Goodbye.")
    assert call.ended


def test_no_loop_is_endless_for_a_silent_caller(call):
    for _ in range(10):
        if call.ended:
            break
        call.silence()
    assert call.ended and len(call.requests) == 4


def test_silence_after_an_answer_reprompts_with_the_menu_it_came_from(call):
    call.press("5")
    call.press("1")
    assert "For how common it is, press 1." in call.silence()


@pytest.mark.parametrize("status", ["completed", "answered"])
def test_a_completed_transfer_ends_the_call_politely(call, status):
    call.press("0")
    assert call.dial_ends(status) == "Thank you for calling. Goodbye."
    assert call.ended


@pytest.mark.parametrize("status", ["busy", "no-answer", "failed", "canceled"])
def test_a_transfer_that_does_not_connect_gives_the_number_and_the_menu(call, status):
    call.press("0")
    heard = call.dial_ends(status)
    assert heard.startswith(f"Sorry, no one could take your call just now. Please call {PATIENT}."
                            f" Again, that number is {PATIENT}. Or choose from the main menu.")
    assert "For symptoms, press 2." in heard
    assert call.press("2").startswith("Signs differ")


def test_a_referral_that_does_not_connect_gives_the_referral_number(call):
    call.press("6")
    heard = call.dial_ends("no-answer")
    assert "Please call 8 4 4, 2 2 4, 7 3 3 7." in heard


def test_a_call_on_a_menu_that_was_removed_hears_the_main_menu(client):
    c = _player(client)
    heard = c.fetch("/voice/at/gone/-/0/-", {"Digits": "1"})
    assert heard.startswith("The menu has changed. Here is the main menu. Choose a topic.")
    assert c.press("2").startswith("Signs differ")


def test_with_no_menu_ever_loaded_the_caller_is_put_through_to_a_person(tmp_path):
    app = create_app({"TESTING": True, "IVR_MENU": str(tmp_path / "missing.yaml")})
    c = _player(app.test_client())
    assert c.start().startswith("We are sorry. This line is having a problem right now.")
    assert c.dial is not None and c.dial.text == "+16173556000"  # ivr.fallback


def test_a_miss_after_two_matches_says_the_two_again_since_1_and_2_pick_them(call):
    call.say("doctor")
    heard = call.silence()
    assert heard == ("Sorry, I did not hear a choice. That could be more than one topic. "
                     "For questions to ask the doctor, press 1. "
                     "For doctors referring a patient, press 2. To talk to a person, press 0.")
    assert call.press("2") == "Connecting your call. Please hold."
