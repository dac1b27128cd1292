"""Draw the menu tree: as an indented tree for the terminal, as Mermaid, or as Graphviz DOT."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ivr.checks import depths, printed
from ivr.model import Menu, MenuNode, Node, Topic, Transfer

FORMATS = ("tree", "mermaid", "dot")


def draw(menu: Menu, format: str = "tree") -> str:
    """Return the menu tree in `format`: tree, mermaid or dot."""
    if format == "tree":
        return "\n".join(tree(menu)) + "\n"
    if format == "mermaid":
        return "\n".join(mermaid(menu)) + "\n"
    if format == "dot":
        return "\n".join(dot(menu)) + "\n"
    raise ValueError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")


def _label(node: Node) -> str:
    if isinstance(node, Transfer):
        return f"{node.title} ({printed(node)})"
    return node.title


def _edges(menu: Menu) -> Iterator[tuple[MenuNode, str, Node]]:
    """Yield (menu, key, node) for every option, menus in the order a caller meets them."""
    reached = [id for id in depths(menu) if id in menu.menus]
    for id in reached + [m for m in menu.menus if m not in reached]:
        m = menu.menus[id]
        for o in m.options:
            node = menu.node(o.target)
            if node is not None:
                yield m, o.key, node


def tree(menu: Menu) -> list[str]:
    """Return the menu as indented lines, keys first, from the main menu down."""
    home = menu.home
    lines = [f"{home.id}: {home.prompt.plain() if home.prompt else home.title}"]
    drawn = {home.id}

    def walk(m: MenuNode, indent: str) -> None:
        for i, o in enumerate(m.options):
            last = i == len(m.options) - 1
            node = menu.node(o.target)
            if node is None:
                continue
            branch, deeper = ("└── ", "    ") if last else ("├── ", "│   ")
            kind = " -> connect" if isinstance(node, Transfer) else ""
            again = isinstance(node, MenuNode) and node.id in drawn
            lines.append(f"{indent}{branch}{o.key} {_label(node)} [{node.id}]{kind}"
                         + (" (drawn above)" if again else ""))
            if isinstance(node, MenuNode) and not again:
                drawn.add(node.id)
                walk(node, indent + deeper)

    walk(home, "")
    lines.append(f"On every menu: * repeat, # main menu, 0 {_label(menu.person)}")
    reach = depths(menu)
    loose = [id for id in (*menu.menus, *menu.topics) if id not in reach]
    if loose:
        lines.append("Not reachable by keys: " + ", ".join(loose))
    return lines


def _safe(id: str) -> str:
    # Mermaid reads dashes as arrows and some words (end, graph) as syntax: prefix and underscore.
    return "n_" + re.sub(r"[^A-Za-z0-9_]", "_", id)


def _quoted(text: str, quote: str) -> str:
    return text.replace('"', quote)


def mermaid(menu: Menu) -> list[str]:
    """Return a Mermaid flowchart: menus as boxes, topics rounded, transfer lines as stadiums."""
    lines = ["flowchart LR"]
    shapes = {MenuNode: ('["', '"]'), Topic: ('("', '")'), Transfer: ('(["', '"])')}
    for node in (*menu.menus.values(), *menu.topics.values(), *menu.transfers.values()):
        left, right = shapes[type(node)]
        label = node.title if node.id != menu.main else "main menu"
        if isinstance(node, Transfer):
            label = _label(node)
        lines.append(f"    {_safe(node.id)}{left}{_quoted(label, '#quot;')}{right}")
    for m, key, node in _edges(menu):
        lines.append(f"    {_safe(m.id)} -->|{key}| {_safe(node.id)}")
    lines.append(f"    {_safe(menu.main)} -.->|0 on every menu| {_safe(menu.person.id)}")
    return lines


def dot(menu: Menu) -> list[str]:
    """Return a Graphviz digraph: menus as boxes, topics as ellipses, lines as double octagons."""
    lines = ["digraph menu {", "    rankdir=LR;", '    node [fontname="Helvetica"];',
             '    edge [fontname="Helvetica"];']
    shapes = {MenuNode: "box", Topic: "ellipse", Transfer: "doubleoctagon"}
    for node in (*menu.menus.values(), *menu.topics.values(), *menu.transfers.values()):
        label = _label(node) if node.id != menu.main else "main menu"
        lines.append(f'    "{node.id}" [shape={shapes[type(node)]}, '
                     f'label="{_quoted(label, chr(92) + chr(34))}"];')
    for m, key, node in _edges(menu):
        lines.append(f'    "{m.id}" -> "{node.id}" [label="{key}"];')
    lines.append(f'    "{menu.main}" -> "{menu.person.id}" [label="0 on every menu", '
                 "style=dashed];")
    lines.append("}")
    return lines
