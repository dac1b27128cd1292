"""Find the topic or transfer line that free words (a text, or speech) ask for.

The menu is indexed once per load: every keyword, title and answer word is stemmed (symptom,
symptoms) and weighted by how few targets share it, so a message costs a few dictionary look-ups
whatever the menu's size. Misspelt words are mapped to the nearest indexed word with rapidfuzz.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

import snowballstemmer
from rapidfuzz import fuzz, process

from ivr.model import Menu

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# A target is offered only when its score clears this; a runner-up this close is offered too.
MIN_SCORE = 1.0
CLOSE = 0.8
KEYWORD, TITLE, ANSWER = 3.0, 2.0, 0.3  # how much a word counts by where it was written
# Little words say little on their own: they count for a tenth, but still complete a phrase.
LITTLE = frozenset("""
a an the is are was were be been am i me my we our us you your he she him her his they them their
it its this that these those and or but of to in on at for with by from do does did can could will
would should shall may might what which who whom when how there here so if not no just get got
""".split())


class Matcher:
    """An index of a menu's words, answering `match(text)` with the best ids."""

    def __init__(self, menu: Menu) -> None:
        self._stem = snowballstemmer.stemmer("english")
        little = set(self._stem.stemWords(sorted(LITTLE))) | LITTLE
        weights: dict[str, dict[str, float]] = defaultdict(dict)  # stem -> id -> weight
        self._phrases: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        sources: list[tuple[str, float, str]] = []
        for t in menu.topics.values():
            sources += [(t.id, KEYWORD, k) for k in t.keywords]
            sources += [(t.id, TITLE, t.title), (t.id, ANSWER, t.texted.plain())]
        for line in menu.transfers.values():
            sources += [(line.id, KEYWORD, k) for k in line.keywords]
            sources += [(line.id, TITLE, line.title)]
        for id, weight, text in sources:
            stems = tuple(self.stems(text))
            if weight == KEYWORD and len(stems) > 1:
                self._phrases[id].append(stems)
            for s in stems:
                w = weight / 10 if s in little else weight
                weights[s][id] = max(weights[s].get(id, 0.0), w)
        n = max(1, len(menu.topics) + len(menu.transfers))
        self._index = {
            s: {id: w * math.log(1 + n / len(ids)) for id, w in ids.items()}
            for s, ids in weights.items()
        }
        self._vocab = list(self._index)

    def stems(self, text: str) -> list[str]:
        """Return the stems of a text's words, lowercased."""
        return self._stem.stemWords(_TOKEN.findall(text.lower().replace("’", "'")))

    def _known(self, stem: str) -> str | None:
        if stem in self._index:
            return stem
        if len(stem) < 4 or stem.isdigit():
            return None
        hit = process.extractOne(stem, self._vocab, scorer=fuzz.ratio, score_cutoff=80)
        return hit[0] if hit else None

    def match(self, text: str) -> list[str]:
        """Return the id that `text` asks for, several when it fits more than one, or none."""
        stems = [k for s in self.stems(text) if (k := self._known(s))]
        scores: dict[str, float] = defaultdict(float)
        for s in set(stems):
            for id, w in self._index[s].items():
                scores[id] += w
        have = set(stems)
        for id in scores:
            # A whole keyword phrase ("how common") says more than its words apart.
            full = [p for p in self._phrases.get(id, ()) if set(p) <= have]
            if full:
                scores[id] += max(len(p) for p in full)
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        if not ranked or ranked[0][1] < MIN_SCORE:
            return []
        top = ranked[0][1]
        return [id for id, score in ranked[:3] if score >= top * CLOSE]
