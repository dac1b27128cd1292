"""The JSON Schema of menus.yaml, built from the field tables the loader checks against.

Editors that read `# yaml-language-server: $schema=./menus.schema.json` then flag a misspelt
setting or a missing answer as staff type. The loader stays the judge (it also checks ids are
unique, options lead somewhere, numbers can be dialled); the schema only ever says less.
"""

from __future__ import annotations

import json
from typing import Any

from ivr import fields as F
from ivr.model import RESERVED_SMS_WORDS

DRAFT = "http://json-schema.org/draft-07/schema#"
ID_PATTERN = f"^{F.ID.pattern}$"
NOT_BLANK = r"\S"


def _any_case(word: str) -> str:
    # JSON Schema patterns have no case-insensitive flag, so spell each letter both ways.
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in word)


RESERVED = "|".join(_any_case(w) for w in sorted(RESERVED_SMS_WORDS))
KEYWORD_PATTERN = rf"^(?!\s*(?:{RESERVED})\s*$).*\S"


def _value(field: F.Field) -> dict[str, Any]:
    """Return the schema of one setting's value, by its kind."""
    kind = field.kind
    if kind in ("str", "text"):
        # YAML reads `title: 2026` as a number; the loader takes it as the words "2026".
        out: dict[str, Any] = {"type": ["string", "number"], "pattern": NOT_BLANK}
    elif kind == "date":
        out = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    elif kind == "number":
        out = {"type": ["string", "integer"], "pattern": r"^\s*\+?[0-9][0-9 ().-]*$"}
    elif kind == "keywords":
        word = {"type": ["string", "number"], "pattern": KEYWORD_PATTERN}
        out = {"anyOf": [{"type": "array", "items": word}, word]}
    elif kind == "options":
        out = {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": "^[1-9]$"},
            "additionalProperties": {"type": "string", "pattern": ID_PATTERN},
        }
    else:
        raise ValueError(f"no schema for a field of kind {kind!r}")
    return {"description": field.help, **out}


def _object(table: dict[str, F.Field], title: str) -> dict[str, Any]:
    """Return the schema of a mapping whose settings are those in `table`."""
    return {
        "type": "object",
        "title": title,
        "properties": {k: _value(f) for k, f in table.items()},
        "required": [k for k, f in table.items() if f.required],
        "additionalProperties": False,
    }


def _by_id(item: dict[str, Any], description: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "propertyNames": {"pattern": ID_PATTERN},
        "additionalProperties": item,
        **extra,
    }


def menu_schema() -> dict[str, Any]:
    """Return the JSON Schema of a menu file."""
    line = _object(F.LINE, "line")
    sections = {
        "line": line,
        "transfers": _by_id(_object(F.TRANSFER, "transfer line"), F.TOP["transfers"].help),
        "menus": _by_id(_object(F.MENU, "menu"), F.TOP["menus"].help, required=["main"]),
        "topics": _by_id(_object(F.TOPIC, "topic"), F.TOP["topics"].help),
    }
    for key, schema in sections.items():
        schema.setdefault("description", F.TOP[key].help)
    return {
        "$schema": DRAFT,
        "title": "menus.yaml",
        "description": "The menus, answers and transfer lines of an SMS and voice information "
                       "line. `ivr check menus.yaml` checks everything this schema cannot.",
        "type": "object",
        "properties": sections,
        "required": [k for k, f in F.TOP.items() if f.required],
        "additionalProperties": False,
    }


def menu_schema_json() -> str:
    """Return the JSON Schema of a menu file as the text committed in menus.schema.json."""
    return json.dumps(menu_schema(), indent=2, ensure_ascii=False) + "\n"
