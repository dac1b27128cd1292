// The menu panel: the tree with the caller's place marked, the warnings, and the last load error.

import { $ } from "./sim-net.js";

export const menuTree = {
  digest: null, rows: [], numbers: {},
  render(data) {
    $("line-name").textContent = data.name || "";
    const errors = data.error || [];
    $("menu-error").hidden = !errors.length;
    $("menu-error").replaceChildren(...errors.map((e) => item(e)));
    $("menu-status").textContent = !data.digest ? "No menu has loaded: calls and texts get the fallback."
      : errors.length ? `The last edit did not load; still using menu ${data.digest}.`
        : `Menu ${data.digest} is in use.`;
    if (data.digest === this.digest) return;
    this.digest = data.digest;
    this.rows = data.tree || [];
    this.numbers = data.numbers || {};
    $("tree").replaceChildren(...this.rows.map((r) => this.row(r)));
    const warns = data.warnings || [];
    $("warnings").replaceChildren(...(warns.length ? warns : ["None."]).map((w) => item(w)));
    this.mark();
  },
  row(r) {
    const li = document.createElement("li");
    // The tree's branch lines are for the eye; a screen reader reads only the words.
    const [, branches, words] = r.text.match(/^([│├└─\s]*)(.*)$/);
    const drawn = document.createElement("span");
    drawn.setAttribute("aria-hidden", "true");
    drawn.textContent = branches;
    li.append(drawn, words);
    if (r.id) li.dataset.id = r.id;
    return li;
  },
  // Where the call is, as the line told it: a webhook path (the node is its last segment that
  // names one) or a dialled number. Kept, so a tree that loads or changes later marks it too.
  place: null,
  fromUrl(path) { this.place = { path }; this.mark(); },
  number(n) { this.place = { number: n }; this.mark(); },
  clear() { this.place = null; this.mark(); },
  locate() {
    if (!this.place) return null;
    if (this.place.number) return this.numbers[this.place.number] || null;
    const known = new Set(this.rows.map((r) => r.id).filter(Boolean));
    const segments = this.place.path.split("?")[0].split("/").map(decodeURIComponent);
    return segments.filter((s) => known.has(s)).pop() || null;
  },
  mark() {
    const id = this.locate();
    for (const li of $("tree").children) {
      const on = id !== null && li.dataset.id === id;
      li.classList.toggle("here", on);
      if (on) li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
    }
  },
};

function item(text) {
  const li = document.createElement("li");
  li.textContent = text;
  return li;
}

export async function poll() {
  try {
    const r = await fetch("/simulator/menu.json", { cache: "no-store" });
    if (r.ok) menuTree.render(await r.json());
  } catch (e) {
    $("menu-status").textContent = "The line is not answering.";
  }
}
