"""`ivr draw`: the menu tree as text, Mermaid and DOT, with keys on the edges."""

from __future__ import annotations

import re

import pytest

from ivr.draw import draw
from ivr.menu import parse_menu

LOOP = """\
  more:
    title: more topics
    options:
      1: treatment
      2: main
"""


def test_tree_of_the_small_menu(small_menu_text):
    assert draw(parse_menu(small_menu_text)) == (
        "main: Choose a topic.\n"
        "├── 1 symptoms [symptoms]\n"
        "└── 2 more topics [more]\n"
        "    └── 1 treatment [treatment]\n"
        "On every menu: * repeat, # main menu, 0 talking to a person (+1 617-355-6000)\n"
    )


def test_tree_of_the_shipped_menu_has_every_topic_and_the_referral_line(shipped):
    text = draw(shipped)
    for id in shipped.topics:
        assert f"[{id}]" in text
    assert "6 doctors referring a patient (+1 844-224-7337) [referral] -> connect" in text


def test_a_menu_that_leads_back_is_drawn_once(small_menu_text):
    text = draw(parse_menu(small_menu_text.replace(
        "  more:\n    title: more topics\n    options:\n      1: treatment\n", LOOP)))
    assert text.splitlines()[4] == "    └── 2 main [main] (drawn above)"
    assert text.count("[treatment]") == 1


def test_unreachable_topics_are_listed(small_menu_text):
    text = draw(parse_menu(small_menu_text + "  orphan:\n    title: orphan\n    answer: Hi.\n"))
    assert text.splitlines()[-1] == "Not reachable by keys: orphan"


def test_mermaid_has_a_node_per_id_and_an_edge_per_key(shipped):
    text = draw(shipped, "mermaid")
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    edges = re.findall(r"^    (\w+) -->\|(\d)\| (\w+)$", text, re.M)
    options = [(m.id, o.key, o.target) for m in shipped.menus.values() for o in m.options]
    assert sorted((a[2:].replace("_", "-"), k, b[2:].replace("_", "-")) for a, k, b in edges) == (
        sorted(options))
    assert '    n_referral(["doctors referring a patient (+1 844-224-7337)"])' in lines
    assert "    n_main -.->|0 on every menu| n_patient" in lines


def test_mermaid_escapes_quotes_in_titles(small_menu_text):
    text = draw(parse_menu(small_menu_text.replace("title: treatment", 'title: the "cure"')),
                "mermaid")
    assert '    n_treatment("the #quot;cure#quot;")' in text.splitlines()


def test_dot_is_a_digraph_with_labelled_edges(shipped):
    text = draw(shipped, "dot")
    assert text.startswith("digraph menu {\n") and text.endswith("}\n")
    edges = re.findall(r'^    "([\w-]+)" -> "([\w-]+)" \[label="(\d)"\];$', text, re.M)
    options = [(m.id, o.target, o.key) for m in shipped.menus.values() for o in m.options]
    assert sorted(edges) == sorted(options)
    assert text.count("{") == text.count("}")


def test_dot_escapes_quotes_in_titles(small_menu_text):
    text = draw(parse_menu(small_menu_text.replace("title: treatment", 'title: the "cure"')),
                "dot")
    assert '    "treatment" [shape=ellipse, label="the \\"cure\\""];' in text.splitlines()


def test_unknown_format_is_refused(shipped):
    with pytest.raises(ValueError, match="use one of tree, mermaid, dot"):
        draw(shipped, "svg")
