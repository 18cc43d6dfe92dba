/* DPRK–Russia State Media Corpus: two annotations of one article side by side (made by `dprkmedia site`).
 *
 * The spans of every source are the page's inline JSON (#compare-data); so are the figures,
 * computed by `dprkmedia score` when the site was made. Each span is marked ✓ (the other side
 * has the same span and label), ≈ (the label on an overlapping span) or ✗ (nothing of that label
 * there): a mark and a dashed outline, not colour alone. Text reaches the page through textContent.
 */
"use strict";

const Compare = (() => {
  const COLOUR = /^#[0-9a-fA-F]{6}$/;
  const MARK = { same: "✓", overlap: "≈", only: "✗" };
  const WORD = { same: "same span", overlap: "boundary differs", only: "only on this side" };
  let data = null;
  let chars = [];
  const colours = new Map();
  const $ = (id) => document.getElementById(id);
  const { el, pieces } = window.dprkmedia.Dom;
  const slice = (start, end) => chars.slice(start, end).join("");
  const source = (key) => data.sources.find((s) => s.key === key);
  const overlaps = (a, b) => a.start < b.end && b.start < a.end;

  // Each span of `mine` with its status against `other` (same layer).
  function statuses(mine, other) {
    return mine.map((s) => {
      const same = other.filter((o) => o.label === s.label);
      let status = "only";
      if (same.some((o) => o.start === s.start && o.end === s.end)) status = "same";
      else if (same.some((o) => overlaps(o, s))) status = "overlap";
      return { ...s, status };
    });
  }

  // Cut each paragraph of a side at its spans' boundaries; underline each span in its label's colour.
  function draw(container, spans) {
    for (const p of container.querySelectorAll("p[data-start]")) {
      const start = Number(p.dataset.start);
      const end = start + Array.from(p.textContent).length;
      const parts = [];
      for (const [a, b] of pieces(start, end, spans)) {
        const seg = el("span", { class: "seg", "data-start": String(a) }, slice(a, b));
        const here = spans.filter((s) => s.start < b && s.end > a).sort((x, y) => x.end - x.start - (y.end - y.start));
        if (here.length) {
          seg.classList.add("ann");
          seg.dataset.status = here.map((s) => s.status).join(" ");
          seg.dataset.spans = here.map((s) => s.id).join(" ");
          seg.title = here.map((s) => `${s.label}: ${MARK[s.status]} ${WORD[s.status]}`).join("\n");
          const stripes = here.map((s, k) => `inset 0 -${3 * (k + 1)}px 0 0 ${colours.get(s.layer + "\u0000" + s.label) || "#555555"}`);
          seg.style.setProperty("box-shadow", stripes.join(", "));
          seg.style.setProperty("padding-bottom", `${3 * here.length}px`);
          const marks = here.filter((s) => s.end === b).map((s) => MARK[s.status]).join("");
          if (marks) seg.dataset.marks = marks;
        }
        parts.push(seg);
      }
      p.replaceChildren(...parts);
    }
  }

  function describe(side, key) {
    const s = source(key);
    $(`name-${side}`).textContent = s.name;
    document.querySelector(`#side-${side} .doclevel`).textContent = `Genre: ${s.genre || "none"}. Frames: ${s.frames.join(", ") || "none"}.`;
  }

  const fmt = (x) => (x === null || x === undefined ? "n/a" : x.toFixed(3));

  function show() {
    const [first, second, layer] = [$("first").value, $("second").value, $("layer").value];
    describe("first", first);
    describe("second", second);
    const left = source(first).spans.filter((s) => s.layer === layer);
    const right = source(second).spans.filter((s) => s.layer === layer);
    const l = statuses(left, right);
    const r = statuses(right, left);
    draw(document.querySelector(".compare-text[data-side='first']"), l);
    draw(document.querySelector(".compare-text[data-side='second']"), r);
    const count = (spans, status) => spans.filter((s) => s.status === status).length;
    let summary;
    if (first === second) {
      summary = "Left and right are the same source: choose two different ones.";
    } else {
      const fig = data.pairs[`${first}|${second}`].layers[layer];
      summary =
        `${layer}: ${fig.first} spans left, ${fig.second} right. Exact F1 ${fmt(fig.exact.f1)}, partial-credit F1 ${fmt(fig.partial.f1)} ` +
        `(dprkmedia score, left as gold: exact P ${fmt(fig.exact.precision)} R ${fmt(fig.exact.recall)}). ` +
        `✓ ${count(l, "same")} same · ≈ ${count(l, "overlap")} left and ${count(r, "overlap")} right with other boundaries · ` +
        `✗ ${count(l, "only")} only left, ${count(r, "only")} only right.`;
    }
    $("pair-summary").textContent = summary;
    $("pair-summary").dataset.pair = `${first}|${second}`;
    for (const row of document.querySelectorAll("#pair-figures tr[data-pair]")) {
      const pair = row.dataset.pair;
      row.classList.toggle("current", pair === `${first}|${second}` || pair === `${second}|${first}`);
    }
    const items = [];
    const name = (key) => source(key).name;
    for (const s of l.filter((x) => x.status !== "same")) {
      const others = r.filter((o) => o.label === s.label && overlaps(o, s));
      const text = s.status === "only"
        ? `✗ only in ${name(first)}: ${s.label} “${slice(s.start, s.end)}”`
        : `≈ ${s.label}: ${name(first)} “${slice(s.start, s.end)}” · ${name(second)} ${others.map((o) => `“${slice(o.start, o.end)}”`).join(", ")}`;
      items.push([s.start, el("li", { "data-status": s.status, "data-side": "first" }, text)]);
    }
    for (const s of r.filter((x) => x.status === "only")) {
      items.push([s.start, el("li", { "data-status": s.status, "data-side": "second" }, `✗ only in ${name(second)}: ${s.label} “${slice(s.start, s.end)}”`)]);
    }
    items.sort((a, b) => a[0] - b[0]);
    $("disagreement-list").replaceChildren(...items.map((item) => item[1]));
    if (!items.length) $("disagreement-list").append(el("li", {}, first === second ? "—" : "None on this layer: every span is ✓."));
    const params = new URLSearchParams({ left: first, right: second, layer });
    history.replaceState(null, "", `?${params}`);
  }

  function init() {
    const node = $("compare-data");
    if (!node) return;
    data = JSON.parse(node.textContent);
    chars = Array.from(data.doc.text);
    for (const info of data.labels) if (COLOUR.test(info.colour)) colours.set(info.layer + "\u0000" + info.name, info.colour);
    const params = new URLSearchParams(window.location.search);
    for (const [id, name] of [["first", "left"], ["second", "right"], ["layer", "layer"]]) {
      const wanted = params.get(name);
      if (wanted && Array.from($(id).options).some((o) => o.value === wanted)) $(id).value = wanted;
      $(id).addEventListener("change", show);
    }
    show();
    document.body.dataset.viewReady = "true";
  }

  return { init };
})();

document.addEventListener("DOMContentLoaded", () => Compare.init());
