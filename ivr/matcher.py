"""Find the topic, menu or transfer line that free words (a text, or speech) ask for.

The menu is indexed once per load: every keyword, title and answer word is stemmed (symptom,
symptoms) and weighted by where it was written and by how few targets share it, so a message
costs a few dictionary look-ups whatever the menu's size. Only a word the index does not know is
compared with the whole vocabulary (rapidfuzz, with a cut-off), to catch misspellings.
"""

from __future__ import annotations

import math
import re
import threading
from collections import defaultdict

import snowballstemmer
from rapidfuzz import fuzz, process

from ivr.model import Menu

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# A target is offered only when its score clears this; a runner-up this close is offered too.
MIN_SCORE = 2.0
CLOSE = 0.85
# How much a word counts by where it was written. A word met only inside a longer keyword
# ("go" in "go away") says little alone: the whole phrase earns a bonus of its own instead.
KEYWORD, TITLE, PHRASE_WORD, ANSWER = 3.0, 2.0, 1.0, 0.6
# A title word that the topic's keywords and answer never use is wording ("where care happens"),
# not what the topic is about: it counts for this much.
TITLE_ONLY = 0.5
PHRASE_BONUS = 2.0  # per word of a keyword phrase found whole
# A word that only shares a stem with a keyword ("operator", "operation") counts for less.
STEM_ONLY = 0.75
# Words of the line's subject ("sarcoma", "asps"), next to other words, count for this much.
SUBJECT = 0.2
# A word in half the answers is part of the line's subject; so is one in 2 of 5 that no topic's
# title uses ("tumor", but not "treatment").
SUBJECT_SHARE, UNTITLED_SHARE = 0.5, 0.4
SHORT_CUTOFF = 90  # the same, for words of five letters or fewer
FUZZY_CUTOFF = 80  # rapidfuzz ratio, 0-100, for a misspelt word to stand for a known one
GUESSES = 10_000  # misspellings remembered per menu load
STEMS = 200_000  # words whose stems are remembered per menu load
# Little words say little on their own: they count for a tenth, but still complete a phrase.
LITTLE = frozenset("""
a an the is are was were be been am i me my we our us you your he she him her his they them their
it its this that these those and or but of to in on at for with by from do does did can could will
would should shall may might what which who whom when how there here so if not no just get got
im i'm it's its ok okay thanks thank please yes yeah hi hello
um uh umm uhh er hmm oh know want wanted wondering wonder
""".split())

# Texting shorthand, read as the words it stands for before anything is looked up.
SHORTHAND = {
    "r": "are", "u": "you", "ur": "your", "wat": "what", "wut": "what", "wht": "what",
    "y": "why", "ppl": "people", "abt": "about", "bc": "because", "cuz": "because",
    "pls": "please", "plz": "please", "dr": "doctor", "drs": "doctors", "appt": "appointment",
    "appts": "appointments", "hosp": "hospital", "dx": "diagnosis", "tx": "treatment",
    "meds": "medicine", "w": "with", "wo": "without", "idk": "i don't know", "tbh": "to be honest",
    "rn": "right now", "asap": "as soon as possible",
}


def _words(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("’", "'"))


def _unspelled(words: list[str]) -> list[str]:
    # Speech writes a spelled name letter by letter ("a s p s"): three or more single letters
    # in a row are read as one word.
    out: list[str] = []
    run: list[str] = []
    for w in [*words, ""]:
        if len(w) == 1 and w.isalpha():
            run.append(w)
            continue
        out += ["".join(run)] if len(run) >= 3 else run
        run = []
        if w:
            out.append(w)
    return out


def _within(phrase: tuple[str, ...], said: list[str | None]) -> bool:
    n = len(phrase)
    return any(tuple(said[i : i + n]) == phrase for i in range(len(said) - n + 1))


class Matcher:
    """An index of a menu's words, answering `match(text)` with the best ids."""

    def __init__(self, menu: Menu) -> None:
        self._stemmer = snowballstemmer.stemmer("english")
        self._stemming = threading.Lock()  # a stemmer keeps state while it works, and the cache
        self._stems: dict[str, str] = {}  # word -> stem
        little = set(self._stem(sorted(LITTLE))) | LITTLE
        self._little = little
        self._subject = self._subject_of(menu) - little
        weights: dict[str, dict[str, float]] = defaultdict(dict)  # stem -> id -> weight
        # (stem, id) -> the words written for it, to prefer "operator" over "operation"
        # Tuples, not sets: a third the size, and 10,000 topics make 40,000 of them.
        self._words: dict[tuple[str, str], tuple[str, ...]] = {}
        self._phrases: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        sources = self._sources(menu)
        backed: dict[str, set[str]] = defaultdict(set)  # id -> stems of its keywords and answer
        for id, weight, text in sources:
            if weight != TITLE:
                backed[id].update(self.stems(text))
        for id, weight, text in sources:
            words = _words(text)
            stems = tuple(self._stem(words))
            if weight == KEYWORD and len(stems) > 1:
                self._phrases[id].append(stems)
                weight = PHRASE_WORD
            for word, s in zip(words, stems, strict=True):
                w = TITLE_ONLY if weight == TITLE and backed[id] and s not in backed[id] else weight
                w = w / 10 if s in little else w
                weights[s][id] = max(weights[s].get(id, 0.0), w)
                if weight > ANSWER and word not in (seen := self._words.get((s, id), ())):
                    self._words[s, id] = (*seen, word)
        n = max(1, len(menu.topics) + len(menu.transfers))
        # A word is rarer the fewer targets name it most strongly: a word also in answers, or in
        # another topic's longer phrase ("after treatment"), must not make a keyword any weaker.
        shared: dict[float, float] = {}  # one float object per value: few distinct weights
        for ids in weights.values():  # weighed in place: 10,000 topics make 300,000 weights
            top = max(ids.values())
            idf = math.log(1 + n / sum(w == top for w in ids.values()))
            for id, w in ids.items():
                ids[id] = shared.setdefault(w * idf, w * idf)
        self._index = dict(weights)
        # Misspellings are matched on the word as written ("treeted" is near "treated") and then
        # on its stem: a stem can be cut short ("curred" stems to "cur").
        self._forms = {w: s for (s, _), ws in self._words.items() for w in ws if s not in little}
        self._vocab = list(self._index)
        self._form_vocab = list(self._forms)
        self._guesses: dict[str, str | None] = {}  # misspelt stem -> known stem, or None
        self._emergency = [set(self.stems(p)) for p in menu.settings.emergency]

    def _subject_of(self, menu: Menu) -> set[str]:
        # Every question to this line is about its subject: the words of its name, and words
        # most answers use ("asps"), must not outweigh what is asked ("what causes asps").
        answers = [set(self.stems(t.texted.plain())) for t in menu.topics.values()]
        counts: dict[str, int] = defaultdict(int)
        for stems in answers:
            for s in stems:
                counts[s] += 1
        titled = {s for t in menu.topics.values() for s in self.stems(t.title)}
        common = {s for s, c in counts.items() if c >= SUBJECT_SHARE * len(answers)}
        untitled = {s for s, c in counts.items() if c >= UNTITLED_SHARE * len(answers)} - titled
        return set(self.stems(menu.settings.name)) | common | untitled

    @staticmethod
    def _sources(menu: Menu) -> list[tuple[str, float, str]]:
        sources: list[tuple[str, float, str]] = []
        for t in menu.topics.values():
            sources += [(t.id, KEYWORD, k) for k in t.keywords]
            sources += [(t.id, TITLE, t.title), (t.id, ANSWER, t.texted.plain())]
        for line in menu.transfers.values():
            sources += [(line.id, KEYWORD, k) for k in line.keywords]
            sources += [(line.id, TITLE, line.title)]
        # A sub-menu is reached by its title ("more topics"); the main menu has its own words.
        sources += [(m.id, TITLE, m.title) for m in menu.menus.values() if m.id != menu.main]
        return sources

    def stems(self, text: str) -> list[str]:
        """Return the stems of a text's words, lowercased."""
        return self._stem(_words(text))

    def _stem(self, words: list[str]) -> list[str]:
        # Menus and texts repeat their words: each distinct word is stemmed once.
        with self._stemming:
            new = [w for w in dict.fromkeys(words) if w not in self._stems]
            if len(self._stems) + len(new) > STEMS:
                self._stems.clear()  # bounded: texts full of new words cannot grow it
                new = list(dict.fromkeys(words))
            self._stems.update(zip(new, self._stemmer.stemWords(new), strict=True))
            return [self._stems[w] for w in words]

    def _known(self, stem: str, word: str) -> str | None:
        if stem in self._index:
            return stem
        if len(word) < 4 or word.isdigit():
            return None
        if word not in self._guesses:
            guess = self._guess(word, self._form_vocab)
            guess = self._forms[guess] if guess else self._guess(stem, self._vocab)
            if len(self._guesses) >= GUESSES:
                self._guesses.clear()  # bounded: texts full of new words cannot grow it
            self._guesses[word] = guess
        return self._guesses[word]

    @staticmethod
    def _guess(word: str, vocab: list[str]) -> str | None:
        if len(word) < 4:
            return None
        # A short word is one typo from many others ("agent", "genet"): ask more of it.
        cutoff = FUZZY_CUTOFF if len(word) > 5 else SHORT_CUTOFF
        hit = process.extractOne(word, vocab, scorer=fuzz.ratio, score_cutoff=cutoff)
        return hit[0] if hit else None

    def emergency(self, text: str) -> bool:
        """Say whether `text` holds one of the line's emergency words or phrases."""
        said = set(self.stems(text))
        return any(phrase and phrase <= said for phrase in self._emergency)

    def match(self, text: str) -> list[str]:
        """Return the id that `text` asks for, several when it fits more than one, or none."""
        words = [x for w in _unspelled(_words(text)) for x in SHORTHAND.get(w, w).split()]
        found: dict[str, str] = {}  # known stem -> the word the texter wrote
        said: list[str | None] = []  # the known stems in the order written, None for others
        for word, s in zip(words, self._stem(words), strict=True):
            said.append(k := self._known(s, word))
            if k:
                found.setdefault(k, word)
        topical = any(s not in self._subject and s not in self._little for s in found)
        scores: dict[str, float] = defaultdict(float)
        for s, word in found.items():
            for id, w in self._index[s].items():
                scores[id] += w * self._how(s, id, word, topical)
        for id in scores:
            # A whole keyword phrase ("how common") says more than its words apart, written
            # together: "what is asps" is not in "what is the treatment for asps".
            full = [p for p in self._phrases.get(id, ()) if p[0] in found and _within(p, said)]
            if full:
                scores[id] += PHRASE_BONUS * max(
                    sum(self._how(s, id, found[s], topical) for s in set(p)) for p in full)
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        if not ranked or ranked[0][1] < MIN_SCORE:
            return []
        top = ranked[0][1]
        return [id for id, score in ranked[:3] if score >= top * CLOSE]

    def _how(self, stem: str, id: str, word: str, topical: bool) -> float:
        """Say how much a word the texter wrote counts towards `id`, from 0 to 1."""
        written = self._words.get((stem, id), ())
        how = 1.0 if word in written or not written else STEM_ONLY
        return how * SUBJECT if topical and stem in self._subject else how
