"""Plain SMS text: GSM-7 look-alikes for typographic characters, and segment counting.

A text in the GSM-7 alphabet (3GPP TS 23.038) costs one segment per 160 characters, or per 153
once it is split; one character outside it sends the whole text as UCS-2, 70 or 67 per segment.
Extension-table characters ({, }, [, ], ~, |, ^, \\, €) are sent as two septets.
"""

from __future__ import annotations

import unicodedata

BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
EXTENSION = frozenset("\f^{}\\[~]|€")
# Units in a text sent whole, and in each part of a text sent split.
SINGLE = {"GSM-7": (160, 153), "UCS-2": (70, 67)}

# Characters phones and word processors put in that have a plain GSM-7 twin.
LOOK_ALIKES = str.maketrans({
    **dict.fromkeys("‘’‚‛′`´", "'"),
    **dict.fromkeys("“”„‟″«»", '"'),
    **dict.fromkeys("‐‑‒–—―−", "-"),
    **dict.fromkeys("\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
                    "\u200a\u202f\u205f\u3000\t", " "),
    **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", ""),
    "…": "...", "•": "-", "·": "-", "×": "x", "÷": "/",
})


def is_gsm(text: str) -> bool:
    """Say whether every character of `text` is in the GSM-7 alphabet."""
    return all(c in BASIC or c in EXTENSION for c in text)


def normalise(text: str) -> str:
    """Replace look-alike characters with their GSM-7 twins, so a text stays cheap to send."""
    text = text.replace("\r\n", "\n").translate(LOOK_ALIKES)
    return "".join(c if c in BASIC or c in EXTENSION else _plain(c) for c in text)


def _plain(c: str) -> str:
    # Accented letters outside GSM-7 (á, ç) lose the accent; anything else stays as it is.
    bare = "".join(b for b in unicodedata.normalize("NFKD", c) if not unicodedata.combining(b))
    return bare if bare and is_gsm(bare) else c


def encoding(text: str) -> str:
    """Return how `text` would be sent: "GSM-7" or "UCS-2"."""
    return "GSM-7" if is_gsm(text) else "UCS-2"


def _units(text: str) -> list[int]:
    if is_gsm(text):
        return [2 if c in EXTENSION else 1 for c in text]
    # UCS-2 counts UTF-16 code units: characters beyond the BMP (emoji) take two.
    return [2 if ord(c) > 0xFFFF else 1 for c in text]


def segments(text: str) -> int:
    """Return how many SMS segments `text` is sent as (0 for an empty text)."""
    units = _units(text)
    single, split = SINGLE[encoding(text)]
    if sum(units) <= single:
        return 1 if units else 0
    count, room = 1, split
    for u in units:
        # A two-unit character is never cut across segments: it moves whole to the next one.
        if u > room:
            count, room = count + 1, split
        room -= u
    return count


def length(text: str) -> int:
    """Return the size of `text` in its own encoding's units (septets, or UTF-16 units)."""
    return sum(_units(text))
