"""The conversation engine: every choice a person can make, decided once for both channels."""

from __future__ import annotations

import pytest

from ivr.engine import Conversation, DialEnded, Key, Silence, Start, State, Trouble, Words
from ivr.menu import parse_menu

MAIN = State("main")


def test_a_call_starts_with_the_welcome_and_the_main_menu(conversation):
    reply = conversation.step(None, Start())
    assert reply.welcome and reply.menu.id == "main" and reply.state == MAIN


@pytest.mark.parametrize(("key", "topic"), [("1", "what-is"), ("2", "symptoms"),
                                            ("3", "treatment"), ("4", "where-care")])
def test_a_key_answers_its_topic_and_keeps_the_menu(conversation, key, topic):
    reply = conversation.step(MAIN, Key(key))
    assert reply.answer.id == topic and reply.reminder
    assert reply.state == State("main", topic)


def test_after_an_answer_the_menu_keys_still_work(conversation):
    after = conversation.step(MAIN, Key("2")).state
    assert conversation.step(after, Key("3")).answer.id == "treatment"


def test_star_repeats_what_was_just_said(conversation):
    after = conversation.step(MAIN, Key("2")).state
    again = conversation.step(after, Key("*"))
    assert again.answer.id == "symptoms" and again.state == after
    assert conversation.step(State("more"), Key("*")).menu.id == "more"


def test_pound_goes_to_the_main_menu_from_anywhere(conversation):
    deep = conversation.step(State("more"), Key("3")).state
    assert conversation.step(deep, Key("#")).menu.id == "main"


def test_zero_reaches_the_patient_line_from_any_menu(conversation):
    for state in (MAIN, State("more"), State("more", "causes")):
        assert conversation.step(state, Key("0")).transfer.number == "+16173556000"


def test_a_submenu_and_a_transfer_option(conversation):
    assert conversation.step(MAIN, Key("5")).menu.id == "more"
    assert conversation.step(MAIN, Key("6")).transfer.number == "+18442247337"


def test_a_wrong_key_changes_nothing_but_the_count(conversation):
    at = State("main", "symptoms")
    reply = conversation.step(at, Key("8"))
    assert reply.trouble is Trouble.WRONG_KEY and reply.key == "8" and reply.brief
    assert reply.state == State("main", "symptoms", misses=1)
    assert reply.menu.id == "main" and reply.transfer is None


def test_a_good_choice_clears_the_misses(conversation):
    reply = conversation.step(State("main", misses=2), Key("1"))
    assert reply.state.misses == 0


def test_three_wrong_choices_in_a_row_connect_to_a_person(conversation):
    state, reply = MAIN, None
    for _ in range(3):
        reply = conversation.step(state, Key("9"))
        state = reply.state
    assert reply.trouble is Trouble.TOO_MANY and reply.transfer.id == "patient"


def test_silence_reprompts_then_says_the_number_and_goodbye(conversation):
    first = conversation.step(MAIN, Silence())
    assert first.trouble is Trouble.SILENCE and first.brief and not first.end
    second = conversation.step(first.state, Silence())
    third = conversation.step(second.state, Silence())
    assert third.trouble is Trouble.GONE_QUIET and third.end
    assert third.failed.number == "+16173556000"


@pytest.mark.parametrize(("said", "topic"), [("symptoms", "symptoms"), ("two", "symptoms"),
                                             ("2", "symptoms"), ("Is it curable?", "curable"),
                                             ("treatmnet", "treatment")])
def test_words_reach_a_topic_anywhere_in_the_menu(conversation, said, topic):
    assert conversation.step(MAIN, Words(said)).answer.id == topic


def test_words_for_a_person_connect(conversation):
    assert conversation.step(MAIN, Words("I want to talk to someone")).transfer.id == "patient"


@pytest.mark.parametrize("said", ["main menu", "start over", "menu"])
def test_words_for_the_main_menu(conversation, said):
    assert conversation.step(State("more", "causes"), Words(said)).menu.id == "main"


def test_words_that_match_nothing_count_as_a_miss(conversation):
    reply = conversation.step(MAIN, Words("zebra quantum"))
    assert reply.trouble is Trouble.NOT_UNDERSTOOD and reply.state.misses == 1


def test_two_close_fits_are_offered_and_picked_by_number(small_menu_text):
    # A word both topics claim: the engine offers both instead of guessing.
    text = small_menu_text.replace("[symptoms, signs]", "[symptoms, signs, care]")
    conversation = Conversation(parse_menu(text.replace("[treatment, surgery]",
                                                        "[treatment, surgery, care]")))
    reply = conversation.step(MAIN, Words("care"))
    assert {n.id for n in reply.offered} == {"symptoms", "treatment"}
    assert reply.state.offered == tuple(n.id for n in reply.offered)
    picked = conversation.step(reply.state, Key("1"))
    assert picked.answer.id == reply.offered[0].id


def test_a_state_from_an_older_menu_gets_the_main_menu(conversation):
    reply = conversation.step(State("gone-menu", "old-topic"), Key("1"))
    assert reply.trouble is Trouble.MOVED and reply.menu.id == "main"


@pytest.mark.parametrize("status", ["busy", "no-answer", "failed", "canceled"])
def test_a_transfer_that_fails_says_the_number_and_offers_the_menu(conversation, status):
    reply = conversation.step(MAIN, DialEnded("referral", status))
    assert reply.failed.id == "referral" and reply.menu.id == "main" and not reply.end


@pytest.mark.parametrize("status", ["completed", "answered"])
def test_a_completed_transfer_ends_the_call(conversation, status):
    assert conversation.step(MAIN, DialEnded("patient", status)).end


def test_a_miss_while_fits_are_offered_offers_them_again(conversation):
    offered = conversation.step(MAIN, Words("doctor")).state
    assert offered.offered == ("questions", "referral")
    reply = conversation.step(offered, Silence())
    assert [n.id for n in reply.offered] == ["questions", "referral"] and reply.menu is None
    assert reply.state == State("main", None, 1, offered.offered)
    assert conversation.step(reply.state, Key("2")).transfer.id == "referral"


def test_a_first_text_that_asks_something_is_answered_at_once(conversation):
    reply = conversation.step(None, Words("is it curable"))
    assert reply.welcome and reply.answer.id == "curable"


@pytest.mark.parametrize("text", ["hi", "MENU", "blorp"])
def test_a_first_text_that_asks_nothing_gets_the_welcome(conversation, text):
    reply = conversation.step(None, Words(text))
    assert reply.welcome and reply.menu.id == "main" and reply.trouble is None


@pytest.mark.parametrize("said", ["press 2", "Option two.", "number 2"])
def test_saying_a_key_picks_it(conversation, said):
    assert conversation.step(MAIN, Words(said)).answer.id == "symptoms"


def test_after_thanks_the_keys_mean_the_menu_just_read_out(small_menu_text):
    text = small_menu_text.replace("[symptoms, signs]", "[symptoms, signs, care]")
    conversation = Conversation(parse_menu(text.replace("[treatment, surgery]",
                                                        "[treatment, surgery, care]")))
    offered = conversation.step(MAIN, Words("care")).state
    assert offered.offered
    thanked = conversation.step(offered, Words("ok thanks"))
    assert thanked.state == MAIN
    assert conversation.step(thanked.state, Key("2")).menu.id == "more"  # not the offered list
