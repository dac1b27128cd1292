"""menus.schema.json: committed as `ivr schema` prints it, and in agreement with the loader."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from ivr.menu import MenuError, parse_menu
from ivr.schema import menu_schema, menu_schema_json

ROOT = Path(__file__).resolve().parent.parent
VALIDATOR = jsonschema.Draft7Validator(menu_schema())


def as_editor_sees(text: str) -> object:
    """Read YAML as JSON data: keys as strings, dates as the text written."""
    return json.loads(json.dumps(yaml.safe_load(text), default=str))


def schema_errors(text: str) -> list[str]:
    return [e.message for e in VALIDATOR.iter_errors(as_editor_sees(text))]


def loader_accepts(text: str) -> bool:
    try:
        parse_menu(text)
    except MenuError:
        return False
    return True


def test_committed_schema_is_what_ivr_schema_prints():
    committed = (ROOT / "menus.schema.json").read_text(encoding="utf-8")
    assert committed == menu_schema_json(), "run `ivr schema > menus.schema.json` and commit it"


def test_schema_is_a_valid_draft_7_schema():
    jsonschema.Draft7Validator.check_schema(menu_schema())


def test_menus_yaml_names_the_schema():
    first = (ROOT / "menus.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=./menus.schema.json"


def test_shipped_menu_validates():
    assert schema_errors((ROOT / "menus.yaml").read_text(encoding="utf-8")) == []


def test_small_menu_validates(small_menu_text):
    assert schema_errors(small_menu_text) == []


ACCEPTED = [
    ("one keyword, not a list", "[treatment, surgery]", "surgery"),
    ("unquoted phone number", '"+16173556000"', "+16173556000"),
    ("a number as a title", "title: treatment", "title: 2026"),
    ("a review date", "    answer: Surgery comes first.\n",
     "    answer: Surgery comes first.\n    reviewed: 2026-01-31\n"),
]


@pytest.mark.parametrize(("case", "old", "new"), ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_what_the_loader_accepts_the_schema_accepts(small_menu_text, case, old, new):
    text = small_menu_text.replace(old, new, 1)
    assert loader_accepts(text), case
    assert schema_errors(text) == []


REJECTED = [
    ("misspelt setting", "    prompt: Choose", "    promt: Choose"),
    ("missing answer", "    answer: Surgery comes first.\n", ""),
    ("empty answer", "    answer: Surgery comes first.", "    answer:"),
    ("blank title", "    title: treatment", "    title: '  '"),
    ("no main menu", "  main:\n", "  home:\n"),
    ("navigation key as option", "      2: more", "      0: more"),
    ("star as option", "      2: more", "      '*': more"),
    ("two-digit key", "      2: more", "      12: more"),
    ("no options", "    options:\n      1: treatment\n", "    options: {}\n"),
    ("option to a list", "      2: more", "      2: [more]"),
    ("keywords as a mapping", "[treatment, surgery]", "{a: b}"),
    ("carrier keyword", "[treatment, surgery]", "[treatment, Stop]"),
    ("id with spaces", "  treatment:\n", "  Side Effects:\n"),
    ("id with capitals", "  patient:\n", "  Patient:\n"),
    ("bad date", "    answer: Surgery comes first.\n",
     "    answer: Surgery comes first.\n    reviewed: last week\n"),
    ("phone number in words", '"+16173556000"', "call the desk"),
    ("title as a list", "    title: treatment", "    title: [treatment]"),
    ("missing section", "transfers:\n", "transfer:\n"),
    ("missing notice", "  notice: Not for emergencies. Call 911.\n", ""),
    ("topic as one line", "  treatment:\n    title: treatment\n    answer: Surgery comes first.\n"
     "    keywords: [treatment, surgery]\n", "  treatment: Surgery comes first.\n"),
]


@pytest.mark.parametrize(("case", "old", "new"), REJECTED, ids=[c[0] for c in REJECTED])
def test_what_the_loader_rejects_for_its_shape_the_schema_rejects(small_menu_text, case, old,
                                                                  new):
    assert old in small_menu_text, case
    text = small_menu_text.replace(old, new, 1)
    assert not loader_accepts(text), case
    assert schema_errors(text), case
