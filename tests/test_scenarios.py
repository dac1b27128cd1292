"""Conversation tests staff write: the file format, the player, and what a failure says.

The wording here is a stand-in that names what the engine decided, so these tests pin the runner;
the last tests play tests/conversations.yaml with the line's real wording.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ivr import speech
from ivr.checks import sent
from ivr.engine import Conversation, Key, Words
from ivr.menu import parse_menu
from ivr.play import Call, Texting
from ivr.scenarios import ScenarioError, load_scenarios, plain, run_file, run_scenario


def stand_in(menu, reply) -> str:
    parts = ["welcome"] if reply.welcome else []
    if reply.trouble:
        parts.append(reply.trouble.value)
    if reply.failed:
        parts.append(f"call back {reply.failed.id}")
    if reply.answer:
        parts.append(reply.answer.answer.plain())
    if reply.menu:
        parts.append(f"menu {reply.menu.id}")
    return " ".join(parts)


def stand_in_texts(conversation, session, body) -> list[str]:
    event = Key(body) if body in "0123456789*#" else Words(body)
    reply = conversation.step(session.get("state"), event)
    session["state"] = reply.state
    return [stand_in(conversation.menu, reply)]


@pytest.fixture
def small(small_menu_text) -> Conversation:
    return Conversation(parse_menu(small_menu_text))


@pytest.fixture
def call(small) -> Call:
    return Call(small, stand_in)


def test_a_call_starts_with_the_greeting_and_takes_keys(call):
    assert call.start() == ["welcome menu main"]
    assert call.do("2") == ["menu more"]
    assert call.do("1") == ["Surgery comes first."]


def test_keys_on_one_line_are_pressed_in_turn(call):
    call.start()
    assert call.do("21") == ["menu more", "Surgery comes first."]


def test_words_are_speech_and_an_empty_line_is_silence(call):
    call.start()
    assert call.do("what are the signs") == ["A lump that does not hurt. Call {patient} with "
                                             "questions."]
    assert call.do("") == ["silence menu main"]


def test_a_transfer_waits_for_how_the_dialled_call_ended(call):
    call.start()
    assert call.do("0") == ["[connecting to +1 617-355-6000]"]
    assert call.do("maybe")[0].startswith("[the call is being connected: type how it ended")
    assert call.do("busy") == ["call back patient menu main"]
    assert call.do("0") == ["[connecting to +1 617-355-6000]"]
    assert call.do("") == ["[the call ends]"]  # empty: the call was answered and completed
    assert call.do("2") == ["[the call has ended]"]


def test_silence_three_times_ends_the_call(call):
    call.start()
    call.do("")
    call.do("")
    assert call.do("") == ["gone-quiet call back patient", "[the call ends]"]


def test_texting_keeps_its_session(small):
    texting = Texting(small, stand_in_texts)
    assert texting.send("2") == ["welcome menu more"]
    assert texting.send("1") == ["Surgery comes first."]


GOOD = """\
- name: treatment by phone
  call: [2, 1]
  hear: surgery comes FIRST
- text: signs
  reply: [lump, "does not hurt"]
- name: repeat
  steps:
    - call: [1]
      hear: lump
    - call: [star]
      hear: lump
      not hear: menu more
"""


def write(tmp_path, text: str) -> str:
    path = tmp_path / "conversations.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_file_of_conversations_loads(tmp_path):
    scenarios = load_scenarios(write(tmp_path, GOOD))
    assert [s.name for s in scenarios] == ["treatment by phone", "conversation 2", "repeat"]
    assert scenarios[0].steps[0].inputs == ("2", "1")
    assert scenarios[1].steps[0].expect == ("lump", "does not hurt")
    assert [s.line for s in scenarios[2].steps] == [8, 10]
    assert scenarios[2].steps[1].absent == ("menu more",)


def test_good_conversations_pass(tmp_path, small):
    assert run_file(small, write(tmp_path, GOOD), stand_in, stand_in_texts) == (3, [])


def test_a_failure_says_which_step_and_what_was_heard_instead(tmp_path, small):
    path = write(tmp_path, GOOD.replace("    - call: [star]", "    - call: [\"#\"]"))
    count, failures = run_file(small, path, stand_in, stand_in_texts)
    assert count == 3 and len(failures) == 1
    assert failures[0].lines(path) == [
        f"{path}:10: repeat: step 2 (call #): expected to hear 'lump'; heard instead:",
        "    menu main",
    ]


def test_not_hear_fails_when_heard(tmp_path, small):
    path = write(tmp_path, "- call: [2]\n  not hear: menu more\n")
    scenario = load_scenarios(path)[0]
    failure = run_scenario(small, scenario, stand_in, stand_in_texts)
    assert failure is not None
    assert failure.lines(path)[0] == (f"{path}:1: conversation 1: step 1 (call 2): expected "
                                      "not to hear 'menu more'; heard instead:")
    assert failure.lines(path)[1:] == ["    menu more"]  # the greeting is not this step's


def test_an_empty_call_step_hears_the_greeting(tmp_path, small):
    path = write(tmp_path, "- call: []\n  hear: welcome menu main\n"
                           "- call: [2]\n  not hear: welcome\n")
    assert run_file(small, path, stand_in, stand_in_texts) == (2, [])


def test_silence_is_written_as_an_empty_string(tmp_path, small):
    path = write(tmp_path, '- call: [""]\n  hear: silence\n')
    assert run_file(small, path, stand_in, stand_in_texts) == (1, [])


@pytest.mark.parametrize(("text", "line", "words"), [
    ("call: [2]\n", 1, "should be a list of conversations"),
    ("- call: [2]\n  heard: lump\n", 1, "unknown setting 'heard'"),
    ("- hear: lump\n", 1, "each step needs call:"),
    ("- call: [2]\n  text: hi\n", 1, "but not both"),
    ("- text: hi\n  hear: lump\n", 1, "a text step checks reply:, not hear:"),
    ("- name: x\n  steps:\n    - call: [1]\n    - text: hi\n", 1, "a call or a text, not both"),
    ("- name: x\n  steps: []\n", 2, "steps: should be a list of steps"),
    ("- name: x\n  steps:\n    - call: [1]\n  hear: y\n", 1, "not both"),
    ("- call: [*]\n", 1, "not valid YAML"),
    ("- just words\n", 1, "should be `name: value` lines"),
])
def test_a_broken_test_file_says_where(tmp_path, text, line, words):
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as e:
        load_scenarios(path)
    assert str(e.value).startswith(f"{path}:{line}: ")
    assert words in str(e.value)


def test_a_missing_test_file_says_so(tmp_path):
    with pytest.raises(ScenarioError, match="cannot read the file"):
        load_scenarios(str(tmp_path / "nope.yaml"))


SHIPPED_TESTS = Path(__file__).resolve().parent / "conversations.yaml"


@pytest.mark.parametrize("scenario", load_scenarios(str(SHIPPED_TESTS)), ids=lambda s: s.name)
def test_shipped_conversations(conversation, scenario):
    failure = run_scenario(conversation, scenario)
    if failure is not None:
        pytest.fail("\n".join(failure.lines("tests/conversations.yaml")), pytrace=False)


@pytest.mark.parametrize(("channel", "said"), [
    ("call", lambda menu, topic: speech.answer(menu, topic)),
    ("text", lambda menu, topic: sent(menu, topic.texted)),
])
def test_shipped_conversations_check_every_topic_by_call_and_by_text(shipped, channel, said):
    checks = [plain(words) for s in load_scenarios(str(SHIPPED_TESTS)) for step in s.steps
              if step.channel == channel for words in step.expect]
    for topic in shipped.topics.values():
        answer = plain(said(shipped, topic))
        assert any(len(c) > 12 and c in answer for c in checks), (
            f"no {channel} in tests/conversations.yaml checks the answer of '{topic.id}'")
