"""Content warnings: each names the line, and says what a caller or texter would notice."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ivr.checks import check_content, grade, syllables
from ivr.menu import parse_menu

TODAY = date(2026, 11, 28)


def warnings(text: str, today: date = TODAY) -> list[str]:
    menu = parse_menu(text)
    return [f"{f.line}: {f.message}" for f in check_content(menu, text, today)]


def test_shipped_menu_has_no_warnings(shipped):
    source = Path(shipped.path).read_text(encoding="utf-8")
    assert check_content(shipped, source, TODAY) == []


def test_small_menu_has_no_warnings(small_menu_text):
    assert warnings(small_menu_text) == []


def test_curly_quotes_and_dashes_are_named_with_the_plain_twin_the_line_sends(small_menu_text):
    text = small_menu_text.replace("answer: Surgery comes first.",
                                   "answer: Surgery’s first – then “rest”.")
    found = warnings(text)
    assert [f.split(" has ")[1].split(")")[0] for f in found] == [
        "'’' (U+2019 RIGHT SINGLE QUOTATION MARK", "'–' (U+2013 EN DASH",
        "'“' (U+201C LEFT DOUBLE QUOTATION MARK", "'”' (U+201D RIGHT DOUBLE QUOTATION MARK"]
    assert found[0] == (
        "27: the text of topic 'treatment' has '’' (U+2019 RIGHT SINGLE QUOTATION MARK) at "
        "column 20, which is not in the GSM-7 texting alphabet and would double the cost of a "
        "text; the line sends ''' in its place, so write '''")


def test_a_character_with_no_gsm_twin_is_named_with_its_line_and_column(small_menu_text):
    text = small_menu_text.replace("Surgery comes first.", "Surgery comes first → then rest.")
    found = warnings(text)
    assert len(found) == 1, found
    assert found[0].startswith("27: the text of topic 'treatment' has '→' (U+2192 RIGHTWARDS "
                               "ARROW) at column 33, which is not in the GSM-7 texting alphabet")


def test_a_character_in_a_folded_answer_is_found_on_its_own_line(small_menu_text):
    folded = "answer: >-\n      Surgery comes\n      first 🙂 then rest."
    text = small_menu_text.replace("answer: Surgery comes first.", folded)
    found = warnings(text)
    assert [f.split(":")[0] for f in found] == ["29"], found
    assert "'🙂' (U+1F642 SLIGHTLY SMILING FACE) at column 13" in found[0]


def test_a_non_gsm_character_counts_the_text_in_ucs2_segments(small_menu_text):
    # 150 characters: one GSM-7 segment, but three UCS-2 ones once an arrow is in it.
    long = " ".join(["Surgery comes first."] * 7) + " →"
    found = warnings(small_menu_text.replace("Surgery comes first.", long))
    assert any("needs 3 SMS segments (UCS-2)" in f for f in found), found


def test_text_over_two_segments(small_menu_text):
    long = " ".join(["Surgery comes first."] * 16)  # 335 characters: three segments
    found = warnings(small_menu_text.replace("Surgery comes first.", long))
    assert any(f.startswith("27: the text of topic 'treatment' needs 3 SMS segments (GSM-7)")
               for f in found), found


def test_sms_wording_is_what_is_measured_for_texts(small_menu_text):
    long = " ".join(["Surgery comes first."] * 16)
    text = small_menu_text.replace("    answer: Surgery comes first.\n",
                                   f"    answer: {long}\n    sms: Surgery first.\n")
    assert not any("SMS segments" in f for f in warnings(text))


def test_spoken_answer_over_thirty_seconds(small_menu_text):
    long = " ".join(["Rest well."] * 40)  # 80 words: 32 seconds at 150 a minute
    found = warnings(small_menu_text.replace("Surgery comes first.", long))
    assert any(f.startswith("27: the spoken answer of topic 'treatment' takes about 32 seconds")
               for f in found), found


def test_phone_numbers_count_digit_by_digit_when_spoken(small_menu_text):
    # 55 words and a number said as 10 digits, twice: 77 words, over 30 seconds.
    answer = " ".join(["Rest."] * 55) + " Call {patient} or {patient}."
    found = warnings(small_menu_text.replace("Surgery comes first.", answer))
    assert any("takes about 31 seconds" in f for f in found), found


def test_reading_level_above_grade_eight(small_menu_text):
    hard = ("Multidisciplinary interventions necessitate comprehensive evaluation "
            "incorporating radiological investigations.")
    found = warnings(small_menu_text.replace("Surgery comes first.", hard))
    assert any(f.startswith("27: the answer of topic 'treatment' reads at grade") for f in found)


@pytest.mark.parametrize(("word", "count"), [
    ("cancer", 2), ("area", 3), ("chemotherapy", 5), ("swelling", 2),  # from the dictionary
    ("check-ups", 2),  # by its parts
    ("Dana-Farber", 4),
    ("zorbification", 5),  # not in the dictionary: by vowel groups
    ("glorbe", 1),  # a silent final e
])
def test_syllables(word, count):
    assert syllables(word) == count


def test_names_and_abbreviations_count_as_short_words():
    names = "Care is at the Dana-Farber Cancer Institute. ASPS is rare."
    same_words = "Care is at the dana-farber cancer institute. asps is rare."
    assert grade(names) < 2 < grade(same_words)


def test_grade_is_low_for_plain_words_and_high_for_long_ones():
    assert grade("It is a rare cancer. It grows slowly.") < 4
    assert grade("Comprehensive multidisciplinary evaluation necessitates coordination.") > 12


def test_topic_not_reachable_by_keys(small_menu_text):
    text = small_menu_text + "  orphan:\n    title: orphan\n    answer: Alone here.\n"
    assert warnings(text) == ["29: topic 'orphan' is not reachable by keys from the main menu "
                              "(only by words); add it as an option of a menu"]


def test_menu_with_more_than_six_options(small_menu_text):
    extra = "".join(f"      {k}: symptoms\n" for k in range(2, 8))
    text = small_menu_text.replace("      1: treatment\n", "      1: treatment\n" + extra)
    assert warnings(text) == ["16: menu 'more' has 7 options; callers remember about 6 at "
                              "most: move some to another menu"]


def test_topic_deeper_than_three_key_presses(small_menu_text):
    deeper = ("  more:\n    title: more topics\n    options:\n      1: m2\n"
              "  m2:\n    options:\n      1: m3\n  m3:\n    options:\n      1: treatment\n")
    text = small_menu_text.replace(
        "  more:\n    title: more topics\n    options:\n      1: treatment\n", deeper)
    found = warnings(text)
    assert found == [f"{text.splitlines().index('  treatment:') + 1}: topic 'treatment' takes "
                     "4 key presses from the main menu; keep every topic within 3"]


@pytest.mark.parametrize(("reviewed", "today", "warned"), [
    ("2025-11-28", date(2026, 11, 28), False),  # exactly 12 months: still fine
    ("2025-11-27", date(2026, 11, 28), True),
    ("2025-02-28", date(2026, 2, 28), False),
    ("2024-02-28", date(2025, 2, 28), False),
    ("2023-02-28", date(2024, 2, 29), False),  # from a leap day, a year back is 28 February
    ("2023-02-27", date(2024, 2, 29), True),
])
def test_review_older_than_twelve_months(small_menu_text, reviewed, today, warned):
    text = small_menu_text.replace("    answer: Surgery comes first.\n",
                                   f"    answer: Surgery comes first.\n    reviewed: {reviewed}\n")
    found = warnings(text, today)
    assert bool(found) is warned, found
    if warned:
        assert found == [f"28: topic 'treatment' was last reviewed on {reviewed}, more than 12 "
                         "months ago; check the facts and update the date"]
