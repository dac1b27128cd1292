"""GSM-7 text: look-alikes become plain characters, and segments are counted as carriers bill."""

from __future__ import annotations

import pytest

from ivr import gsm


@pytest.mark.parametrize(("typed", "plain"), (
    ("It’s “fine”", "It's \"fine\""),
    ("9–5 — daily", "9-5 - daily"),
    ("wait…", "wait..."),
    ("a\u00a0b\u2009c", "a b c"),
    ("soft\u00adpart\u200b", "softpart"),
    ("• one", "- one"),
    ("José García", "José Garcia"),  # é is GSM-7; í is not, and loses its accent
    ("line1\r\nline2", "line1\nline2"),
))
def test_look_alikes_become_gsm_characters(typed, plain):
    assert gsm.normalise(typed) == plain
    assert gsm.is_gsm(gsm.normalise(typed))


def test_text_with_no_gsm_twin_is_kept_and_sent_as_ucs2():
    assert gsm.normalise("call 😀") == "call 😀"
    assert gsm.encoding("call 😀") == "UCS-2"
    assert gsm.encoding("call 911") == "GSM-7"


@pytest.mark.parametrize(("text", "count"), (
    ("", 0),
    ("a" * 160, 1),
    ("a" * 161, 2),
    ("a" * 306, 2),
    ("a" * 307, 3),
    ("€" * 80, 1),          # extension characters take two septets each
    ("€" * 81, 2),
    ("[" * 152, 2),
    ("a" * 152 + "{" + "b" * 151, 2),  # the "{" cannot straddle two segments: it moves whole,
    ("a" * 152 + "{" + "b" * 152, 3),  # so 306 septets can need three
    ("[" * 153, 3),
    ("é" * 70, 1),          # accented letters in the GSM-7 table stay cheap
    ("á" * 70, 1),          # UCS-2: 70 in one segment...
    ("á" * 71, 2),          # ...67 per segment once split
    ("á" * 134, 2),
    ("á" * 135, 3),
    ("😀" * 35, 1),         # an emoji is two UTF-16 units
    ("😀" * 36, 2),
))
def test_segments_are_counted_as_carriers_count_them(text, count):
    assert gsm.segments(text) == count


def test_length_counts_septets_for_gsm_and_units_for_ucs2():
    assert gsm.length("a{") == 3
    assert gsm.length("á😀") == 3
