"""The text conversation, played text by text through `texting.reply`: what the texter reads."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ivr import gsm, texting
from ivr.engine import Conversation
from ivr.menu import parse_menu
from ivr.model import RESERVED_SMS_WORDS

README = Path(__file__).resolve().parent.parent / "README.md"

NOTICE = "This line is not for emergencies. In an emergency, call 911."
MAIN = ["1 What ASPS is", "2 Symptoms", "3 Treatment", "4 Where care happens", "5 More topics",
        "6 Doctors referring a patient", "0 Talk to a person"]


class Texter:
    """One phone texting the line, keeping its session between texts as the web app does."""

    def __init__(self, conversation: Conversation) -> None:
        self.conversation = conversation
        self.session: dict = {}

    def send(self, body: str) -> str:
        bodies = texting.reply(self.conversation, self.session, body)
        assert len(bodies) == 1, f"{body!r} got {len(bodies)} messages"
        json.dumps(self.session)  # it must fit in a cookie as JSON
        return bodies[0]


@pytest.fixture
def texter(conversation) -> Texter:
    return Texter(conversation)


def lines(text: str) -> list[str]:
    return text.split("\n")


@pytest.mark.parametrize("first", ("hi", "Hello", "MENU", "menu", "zxq blorp", "#"))
def test_a_greeting_menu_or_unknown_first_text_gets_the_welcome(texter, first):
    said = lines(texter.send(first))
    assert said[0] == NOTICE
    assert said[-len(MAIN):] == MAIN
    assert not any(s.startswith("Sorry") for s in said)


def test_a_first_question_is_answered_at_once_after_the_notice(texter):
    said = lines(texter.send("is it curable?"))
    assert said[0] == NOTICE
    assert said[1].startswith("Sometimes ASPS can be cured.")


def test_the_notice_starts_only_the_first_reply(texter):
    texter.send("hi")
    assert NOTICE not in texter.send("2")
    assert NOTICE not in texter.send("menu")


def test_numbers_pick_options_of_the_menu_the_texter_is_in(texter):
    texter.send("hi")
    more = lines(texter.send("5"))
    assert more[0].startswith("More topics.")
    assert "2 Whether it can be cured" in more
    assert texter.send("2").startswith("Sometimes ASPS can be cured.")
    # After an answer, numbers still pick from the menu it came from.
    assert texter.send("1").startswith("ASPS is very rare in children.")
    assert texter.send("menu").split("\n")[1:] == MAIN
    assert texter.send("1").startswith("ASPS stands for alveolar soft part sarcoma.")


def test_a_number_as_the_first_text_picks_from_the_main_menu(texter):
    said = lines(texter.send("3"))
    assert said[:2] == [NOTICE, said[1]] and said[1].startswith("Surgery to take out the tumor")


def test_zero_gives_the_patient_line_and_the_providers_line(texter):
    texter.send("hi")
    said = texter.send("0")
    assert "To talk to a person, call 617-355-6000." in lines(said)
    assert "For doctors referring a patient, call 844-224-7337." in lines(said)


def test_the_referral_option_gives_the_providers_number(texter):
    texter.send("hi")
    assert "For doctors referring a patient, call 844-224-7337." in lines(texter.send("6"))


def test_an_answer_names_phone_numbers_as_texters_dial_them(texter):
    texter.send("hi")
    texter.send("5")
    assert "call the patient line at 617-355-6000." in texter.send("6")


def test_a_text_that_fits_two_topics_asks_which_and_a_number_picks(texter):
    texter.send("hi")
    said = lines(texter.send("treatment and symptoms"))
    assert said[0] == "Did you mean:"
    picked = {s.split(" ", 1)[1]: s.split(" ", 1)[0] for s in said[1:3]}
    assert set(picked) == {"Symptoms", "Treatment"}
    assert texter.send(picked["Treatment"]).startswith("Surgery to take out the tumor")


def test_text_that_matches_nothing_gets_an_apology_and_the_list(texter):
    texter.send("hi")
    said = lines(texter.send("purple monkey dishwasher"))
    assert said[0] == "Sorry, I did not understand that."
    assert said[-len(MAIN):] == MAIN


def test_a_wrong_number_is_said_back_with_the_list(texter):
    texter.send("hi")
    said = lines(texter.send("8"))
    assert said[0] == "Sorry, 8 is not a choice here."
    assert said[-len(MAIN):] == MAIN


def test_three_misses_in_a_row_give_the_number_of_a_person(texter):
    texter.send("hi")
    texter.send("8")
    texter.send("blorp")
    said = lines(texter.send("9"))
    assert said[0] == "Sorry, I still did not understand."
    assert "To talk to a person, call 617-355-6000." in said


@pytest.mark.parametrize("word", sorted(RESERVED_SMS_WORDS - {"HELP", "INFO"}))
@pytest.mark.parametrize("spelt", (str.upper, str.lower, str.title, lambda w: f"  {w}\n"))
def test_opt_out_and_in_words_get_no_reply_and_forget_the_texter(texter, word, spelt):
    texter.send("hi")
    texter.send("5")
    assert texting.reply(texter.conversation, texter.session, spelt(word)) == []
    assert texter.session == {}
    assert texter.send("hello").startswith(NOTICE)


@pytest.mark.parametrize("word", ("HELP", "help", "Info", " INFO ", "help?", "HELP!"))
def test_help_and_info_name_the_line_the_number_and_how_to_opt_out(texter, word):
    texter.send("hi")
    texter.send("5")
    said = texter.send(word)
    assert said.startswith("The Dana-Farber and Boston Children's information line")
    assert "617-355-6000" in said
    assert said.endswith("Reply STOP to opt out. Msg & data rates may apply.")
    # Help changes nothing: numbers still pick from the menu the texter was in.
    assert texter.send("2").startswith("Sometimes ASPS can be cured.")


def test_reserved_words_inside_a_sentence_are_just_words(texter):
    texter.send("hi")
    assert texter.send("stop the pain").startswith("Signs differ")  # symptoms: pain
    # Carriers opt out only on the word alone, so the line must not go quiet on "stop it!".
    assert texter.send("stop it!") == texting.HOW_TO_STOP


def test_a_long_answer_comes_in_parts_the_texter_asks_for(texter):
    first = lines(texter.send("2"))
    assert first[0] == NOTICE
    assert first[-1] == "Reply MORE for the rest."
    rest = lines(texter.send("MORE"))
    assert rest[-1] == texting.REMINDER
    whole = " ".join(first[1:-1] + rest[:-1])
    answer = texter.conversation.menu.topics["symptoms"].texted.plain()
    assert whole.split() == answer.split()
    # Nothing is left: MORE now means the other topics.
    assert texter.send("more").startswith("More topics.")


def test_another_text_drops_the_rest_of_a_long_answer(texter):
    texter.send("2")
    assert texter.send("3").startswith("Surgery")
    assert texter.send("MORE").startswith("More topics.")


LONG = """\
line:
  name: the long line
  greeting: If this is a medical emergency, hang up and dial 911. This is the long line.
  notice: Not for emergencies. Call 911.
  person: patient
transfers:
  patient:
    title: talking to a person
    number: "+16173556000"
menus:
  main:
    options:
      1: long
      2: endless
      3: fancy
topics:
  long:
    title: a long answer
    answer: {long}
  endless:
    title: one endless sentence
    answer: {endless}
  fancy:
    title: “curly” wording
    answer: It’s here — “quoted”… and that’s all. {{patient}}
"""


@pytest.fixture
def long_line() -> Texter:
    long = " ".join(f"Sentence {i} of a long answer, with more words in it." for i in range(40))
    endless = " ".join(["word"] * 400) + " " + "x" * 400
    return Texter(Conversation(parse_menu(LONG.format(long=long, endless=endless))))


@pytest.mark.parametrize(("key", "topic"), (("1", "long"), ("2", "endless")))
def test_any_length_of_answer_is_paged_whole_in_two_segment_parts(long_line, key, topic):
    pages = [long_line.send(key)]
    while pages[-1].endswith("Reply MORE for the rest."):
        pages.append(long_line.send("MORE"))
        assert len(pages) < 40
    assert all(gsm.segments(p) <= 2 for p in pages)
    text = "".join(p.removesuffix("Reply MORE for the rest.") for p in pages)
    answer = long_line.conversation.menu.topics[topic].answer.plain()
    squeeze = "".join  # compare without the spaces and line breaks pages add or take away
    assert squeeze(text.split()).endswith(squeeze((answer + texting.REMINDER).split()))


def test_typographic_characters_are_sent_as_plain_gsm(long_line):
    said = long_line.send("3")
    assert "It's here - \"quoted\"... and that's all. 617-355-6000" in said
    assert gsm.is_gsm(said)


def test_numbers_abroad_are_written_in_international_form(conversation):
    from ivr.model import Transfer
    assert texting.number(Transfer("x", "x", "+442079460958")) == "+44 20 7946 0958"
    assert texting.number(Transfer("x", "x", "+18442247337")) == "844-224-7337"


def test_a_session_from_an_older_version_starts_again(texter):
    texter.session.update({"at": "main/2", "more": "junk"})
    assert texter.send("MORE").startswith(NOTICE)
    texter.session["at"] = {"menu": "gone-menu", "misses": "x"}
    assert texter.send("1").startswith(NOTICE)
    texter.session["at"] = {"menu": "gone-menu"}
    said = lines(texter.send("1"))
    assert said[0] == "Sorry, the menu has changed."
    assert said[-len(MAIN):] == MAIN


def every_reply(conversation: Conversation) -> dict[str, str]:
    """Play every text a texter can send from every place they can reach; return each reply."""
    menu = conversation.menu
    words = [k for n in [*menu.topics.values(), *menu.transfers.values()] for k in n.keywords]
    words += [t.title for t in menu.topics.values()]
    texts = [*"0123456789*#", "hi", "menu", "MORE", "HELP", "zxq blorp", *words,
             "treatment and symptoms", "cure or cause", "treatment where"]
    seen, todo, replies = set(), [{}], {}
    while todo:
        session = todo.pop()
        for text in texts:
            after = json.loads(json.dumps(session))
            for body in texting.reply(conversation, after, text):
                replies.setdefault(body, f"{text!r} after {session}")
            key = json.dumps(after, sort_keys=True)
            if key not in seen:
                seen.add(key)
                todo.append(after)
        assert len(seen) < 5000, "the text line has more places than a texter could reach"
    return replies


def test_every_reply_the_shipped_menu_can_send_is_gsm_and_at_most_two_segments(conversation):
    replies = every_reply(conversation)
    heads = {r.split("\n")[0] for r in replies}
    # It really did reach every kind of reply.
    assert {NOTICE, "Did you mean:", "Sorry, I did not understand that.",
            "Sorry, I still did not understand.", "To talk to a person, call 617-355-6000.",
            "Sorry, 8 is not a choice here."} <= heads
    assert any(r.startswith("The Dana-Farber") for r in replies)
    for topic in conversation.menu.topics.values():
        start = topic.texted.plain().split(".")[0]
        assert any(start in r for r in replies), topic.id
    for body, how in replies.items():
        assert body.strip(), how
        assert gsm.is_gsm(body), how
        assert gsm.segments(body) <= 2, f"{gsm.segments(body)} segments: {how}:\n{body}"
    print(f"\n{len(replies)} different replies, each GSM-7 and at most 2 segments")


def test_the_exchange_in_the_readme_is_what_the_line_says(conversation):
    section = README.read_text().split("## Texting the line")[1].split("\n## ")[0]
    block = re.search(r"```text\n(.*?)```", section, re.S)
    assert block, "the README's texting section shows no exchange"
    turns = re.split(r"^> (.*)$", block.group(1), flags=re.M)[1:]
    texter = Texter(conversation)
    for sent, shown in zip(turns[::2], turns[1::2], strict=True):
        read = " ".join(line.removeprefix("< ") for line in shown.strip().split("\n")).split()
        got = texter.send(sent).split()
        if read[-1:] == ["..."]:
            assert got[: len(read) - 1] == read[:-1], sent
        else:
            assert got == read, sent
