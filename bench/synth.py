"""Write synthetic menus of any size, shaped like a real line: menus of six, keywords, numbers."""

from __future__ import annotations

import random

SYLLABLES = "ka lo mi nu pe ra si to vu ze bar cel dor fin gal hem jor kit lum mor".split()


def word(rng: random.Random) -> str:
    """Return a made-up word of two to four syllables."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def synthetic_menu(topics: int, seed: int = 7) -> tuple[str, list[str]]:
    """Return menus.yaml text with `topics` topics, and one keyword per topic to ask with."""
    rng = random.Random(seed)
    vocab = sorted({word(rng) for _ in range(topics * 3 + 50)})
    lines = [
        "line:",
        "  name: a synthetic line",
        "  greeting: If this is a medical emergency, hang up and dial 911. This is a test line.",
        "  notice: Not for emergencies. Call 911.",
        "  person: patient",
        "transfers:",
        "  patient:",
        "    title: talking to a person",
        '    number: "+16173556000"',
        "    keywords: [talk to someone]",
        "menus:",
    ]
    # Group topics six to a menu, then menus six to a menu, until one main menu is left.
    level = [f"t{i}" for i in range(topics)]
    depth = 0
    while len(level) > 6 or depth == 0:
        depth += 1
        groups = [level[i : i + 6] for i in range(0, len(level), 6)]
        names = ["main"] if len(groups) == 1 else [f"m{depth}-{j}" for j in range(len(groups))]
        for name, group in zip(names, groups, strict=True):
            lines += [f"  {name}:", f"    title: menu {name}", "    options:"]
            lines += [f"      {k}: {target}" for k, target in enumerate(group, 1)]
        level = names
    if level != ["main"]:
        lines += ["  main:", "    options:"]
        lines += [f"      {k}: {target}" for k, target in enumerate(level, 1)]
    lines.append("topics:")
    asks = []
    for i in range(topics):
        kws = rng.sample(vocab, 3)
        asks.append(kws[0])
        answer = " ".join(rng.choice(vocab) for _ in range(20))
        lines += [
            f"  t{i}:",
            f"    title: {kws[0]} {kws[1]}",
            f"    answer: {answer.capitalize()}. Call {{patient}} to learn more.",
            f"    keywords: [{', '.join(kws)}, {kws[1]} {kws[2]}]",
        ]
    return "\n".join(lines) + "\n", asks
