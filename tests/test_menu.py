"""The menu file: the shipped one loads, and each kind of staff mistake gets its own clear line."""

from __future__ import annotations

import pytest

from ivr.menu import MenuError, load_menu, parse_menu
from ivr.model import LineRef


def problems(text: str) -> list[str]:
    with pytest.raises(MenuError) as e:
        parse_menu(text, "menus.yaml")
    return e.value.lines()


def test_shipped_menu_loads_and_every_topic_is_within_two_choices(shipped):
    main = shipped.home
    reach = {o.target for o in main.options}
    for target in list(reach):
        if target in shipped.menus:
            reach |= {o.target for o in shipped.menus[target].options}
    assert set(shipped.topics) <= reach
    assert {"patient", "referral"} <= set(shipped.transfers)
    assert shipped.transfers["patient"].number == "+16173556000"
    assert shipped.transfers["referral"].number == "+18442247337"


def test_shipped_greeting_starts_with_the_emergency_notice(shipped):
    first = shipped.settings.greeting.plain().split(".")[0]
    assert first == "If this is a medical emergency, hang up and dial 911"


def test_main_menu_offers_the_four_first_topics_more_and_referral(shipped):
    targets = [o.target for o in shipped.home.options]
    assert targets[:4] == ["what-is", "symptoms", "treatment", "where-care"]
    assert "referral" in targets
    assert any(t in shipped.menus for t in targets)


def test_placeholders_become_line_references(small_menu_text):
    menu = parse_menu(small_menu_text)
    parts = menu.topics["symptoms"].answer.parts
    assert LineRef("patient") in parts
    said = menu.topics["symptoms"].answer.render(menu, lambda t: t.number)
    assert said == "A lump that does not hurt. Call +16173556000 with questions."


def test_unquoted_phone_number_is_accepted(small_menu_text):
    menu = parse_menu(small_menu_text.replace('"+16173556000"', "+16173556000"))
    assert menu.transfers["patient"].number == "+16173556000"


def test_missing_file_is_one_clear_line(tmp_path):
    with pytest.raises(MenuError) as e:
        load_menu(tmp_path / "nope.yaml")
    assert e.value.lines() == [f"{tmp_path / 'nope.yaml'}: cannot read the file: "
                               "No such file or directory"]


MISTAKES = [
    # (what staff did, old text, new text, expected line, words the message must hold)
    ("broken YAML", "  main:\n", "  main:\n   bad: [\n", 14, "not valid YAML"),
    ("tab indent", "    prompt: Choose", "\tprompt: Choose", 12, "use spaces, not tabs"),
    ("misspelt setting", "    prompt: Choose", "    promt: Choose", 12,
     "unknown setting 'promt' (did you mean 'prompt'?)"),
    ("missing answer", "    answer: Surgery comes first.\n", "", 26,
     "topic 'treatment' is missing 'answer'"),
    ("unknown option target", "1: symptoms", "1: symtoms", 14,
     "goes to 'symtoms', which is not a topic, menu or transfer line (did you mean 'symptoms'?)"),
    ("duplicate id", "", "  more:\n    title: more\n    answer: More.\n", 29,
     "the id 'more' is used twice (also a menu at line 16)"),
    ("duplicate option key", "      2: more", "      1: more", 15, "'1' appears twice"),
    ("invalid phone number", '"+16173556000"', '"+1617355600"', 9,
     "is not a phone number that can be dialled"),
    ("navigation key as option", "      2: more", "      0: more", 15,
     "key 0 cannot be an option"),
    ("star as option", "      2: more", "      '*': more", 15, "key * cannot be an option"),
    ("two-digit key", "      2: more", "      12: more", 15, "options use one digit, 1 to 9"),
    ("wrong type", "    keywords: [treatment, surgery]", "    keywords: {a: b}", 28,
     "'keywords' in topic 'treatment' should be a list"),
    ("carrier keyword", "[treatment, surgery]", "[treatment, stop]", 28,
     "'stop' cannot be a keyword"),
    ("unknown placeholder", "{patient}", "{pateint}", 23,
     "{pateint} is not a transfer line (did you mean 'patient'?)"),
    ("no main menu", "  main:\n", "  home:\n", 11, "there is no menu called 'main'"),
    ("menu with no options", "    options:\n      1: treatment\n", "    options: {}\n", 18,
     "menu 'more' has no options"),
    ("menus that only go round", "    options:\n      1: treatment",
     "    options:\n      1: more", 16,
     "leads only to menus"),
    ("id with spaces", "", "  Side Effects:\n    title: side effects\n    answer: Ask.\n", 29,
     "try 'side-effects'"),
    ("bad date", "    answer: Surgery comes first.\n",
     "    answer: Surgery comes first.\n    reviewed: last week\n", 28,
     "should be a date written like 2026-01-31"),
    ("yes as a title", "    title: treatment", "    title: yes", 26, "reads as yes/no"),
    ("unknown person line", "person: patient", "person: patien", 5,
     "person: 'patien' is not a transfer line (did you mean 'patient'?)"),
    ("empty answer", "    answer: Surgery comes first.", "    answer:", 27, "is empty"),
    ("empty phone number", '    number: "+16173556000"', "    number:", 9,
     "'number' in transfer line 'patient' is empty"),
    ("language typo", "  person: patient\n", "  person: patient\n  language: en_US\n", 6,
     "language: 'en_US' is not a language code Twilio knows; write it like en-US"),
    ("voice typo", "  person: patient\n", "  person: patient\n  voice: Joanna\n", 6,
     "voice: 'Joanna' is not a Twilio voice"),
    ("placeholder in the notice", "  notice: Not for emergencies. Call 911.",
     "  notice: Not for emergencies. Call {patient}.", 4,
     "'notice' in line: cannot hold a {line} placeholder"),
    ("a YAML tag that does not fit", "    answer: Surgery comes first.\n",
     "    answer: Surgery comes first.\n    reviewed: !!timestamp nope\n", 28,
     "'reviewed' in topic 'treatment' should be a date"),
]


@pytest.mark.parametrize(("mistake", "old", "new", "line", "words"), MISTAKES,
                         ids=[m[0] for m in MISTAKES])
def test_each_mistake_names_its_line_and_what_is_wrong(small_menu_text, mistake, old, new,
                                                       line, words):
    assert old in small_menu_text, mistake
    text = small_menu_text.replace(old, new, 1) if old else small_menu_text + new
    found = problems(text)
    assert any(f.startswith(f"menus.yaml:{line}: ") and words in f for f in found), found
    assert len(found) == 1, found  # one mistake, one message: no cascade of echoes


def test_every_problem_is_reported_not_just_the_first(small_menu_text):
    text = small_menu_text.replace("1: symptoms", "1: symtoms").replace('"+16173556000"', '"12"')
    found = problems(text)
    assert [f.split(":")[1] for f in found] == ["9", "14"]


def test_empty_file(small_menu_text):
    assert problems("") == ["menus.yaml:1: the file is empty; it needs line:, transfers:, "
                            "menus: and topics:"]


def test_not_utf8():
    found = problems(b"line:\n  name: caf\xe9\n")
    assert found == ["menus.yaml:2: this line is not UTF-8 text; save as UTF-8"]


def test_yaml_tags_cannot_run_code(small_menu_text):
    text = small_menu_text.replace("title: symptoms", "title: !!python/object/apply:os.system [ls]")
    found = problems(text)
    assert found and all(f.startswith("menus.yaml:") for f in found)


def test_a_placeholder_inside_a_folded_answer_is_placed_on_its_own_line(small_menu_text):
    text = small_menu_text.replace(
        "    answer: A lump that does not hurt. Call {patient} with questions.",
        "    answer: >-\n      A lump that does not hurt.\n      Call {pateint} with questions.")
    assert problems(text) == ["menus.yaml:25: {pateint} is not a transfer line (did you mean "
                              "'patient'?); write one of {patient}"]
