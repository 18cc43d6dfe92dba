/* DPRK–Russia State Media Corpus: classroom viewer (made by `dprkmedia site`).
 *
 * No network: this file, site.css and the page's inline JSON block are all it uses.
 * Text from the data only ever reaches the page through textContent, never as HTML.
 * Offsets are Unicode code points, [start, end), as in the dataset (README.md, "Dataset structure").
 * The exercise (its scorer, the student's spans, check and download) is in exercise.js.
 */
"use strict";

/* Colours come from the data; only "#rrggbb" is ever applied. */
const COLOUR = /^#[0-9a-fA-F]{6}$/;

/* --- the article page ------------------------------------------------------------------ */

/* Small DOM helpers the scripts of every page share (site.js is loaded first on every page). */
const Dom = {
  el(tag, attrs = {}, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  },
  /* The pieces [a, b) of the characters [start, end) cut at every boundary of the spans inside them. */
  pieces(start, end, spans) {
    const cuts = new Set([start, end]);
    for (const s of spans) {
      if (s.start > start && s.start < end) cuts.add(s.start);
      if (s.end > start && s.end < end) cuts.add(s.end);
    }
    const points = Array.from(cuts).sort((a, b) => a - b);
    return points.slice(1).map((b, i) => [points[i], b]);
  },
};

const Viewer = (() => {
  const CONFIDENCE_TEXT = {
    core: "core: at least two independent annotation passes had this technique here",
    borderline: "borderline: only one independent annotation pass had this technique here",
  };
  const state = {
    data: null,
    chars: [],
    mode: "gold",
    student: [],
    checked: null,
    pending: null,
    labels: new Map(),
  };

  const el = Dom.el;
  const slice = (start, end) => state.chars.slice(start, end).join("");
  const labelOf = (span) => (span.layer === "dates" ? span.type : span.label);
  const labelInfo = (layer, name) => state.labels.get(layer + "\u0000" + name) || null;
  const colourOf = (span) => {
    if (span.status) return span.colour; // an exercise span: exercise.js gives its status colour
    const info = labelInfo(span.layer, labelOf(span));
    return info && COLOUR.test(info.colour) ? info.colour : "#555555";
  };
  // The second cue: the underline's pattern, per label family (exercise marks are solid).
  const patternOf = (span) => {
    if (span.status) return "solid";
    const info = labelInfo(span.layer, labelOf(span));
    return (info && info.pattern) || "solid";
  };

  /* Segments: each paragraph is cut at every span boundary; a segment knows its spans. */
  function segment(spans) {
    const text = document.getElementById("text");
    for (const tags of text.querySelectorAll(".tags")) tags.remove(); // label names are not text
    for (const p of text.querySelectorAll("p[data-start]")) {
      const start = Number(p.dataset.start);
      const end = start + Array.from(p.textContent).length;
      const parts = [];
      for (const [a, b] of Dom.pieces(start, end, spans)) {
        const seg = el("span", { class: "seg", "data-start": String(a) }, slice(a, b));
        seg.spans = spans.filter((s) => s.start < b && s.end > a);
        if (seg.spans.length) seg.dataset.spans = seg.spans.map((s) => s.key).join(" ");
        parts.push(seg);
      }
      p.replaceChildren(...parts);
    }
  }

  function shownSpans(seg) {
    if (state.mode !== "gold") return seg.spans || [];
    const on = (selector) => {
      const box = document.querySelector(selector);
      return !box || box.checked;
    };
    return (seg.spans || []).filter(
      (s) =>
        on(`input[data-layer-toggle][data-layer="${CSS.escape(s.layer)}"]`) &&
        on(`input[data-label][data-layer="${CSS.escape(s.layer)}"][data-label="${CSS.escape(labelOf(s))}"]`),
    );
  }

  /* Stacked underlines, one per visible span (layer order, shortest first), each in its
   * label's colour and its family's pattern, and a tint for the innermost entity: overlapping
   * and nested spans stay legible. A passage's accessible name says its labels; in gold mode
   * each span's label names stand before it (shown in projector mode, print and forced colours). */
  function paint() {
    const order = state.data.layers;
    const starts = new Map();
    for (const seg of document.querySelectorAll("#text .seg")) {
      const shown = shownSpans(seg).sort(
        (a, b) => order.indexOf(a.layer) - order.indexOf(b.layer) || a.end - a.start - (b.end - b.start),
      );
      seg.dataset.visible = shown.map((s) => s.key).join(" ");
      seg.classList.toggle("ann", shown.length > 0);
      seg.classList.toggle("missed", shown.some((s) => s.status === "missed"));
      if (state.mode === "exercise") seg.dataset.status = shown.map((s) => s.status).join(" ");
      else delete seg.dataset.status;
      if (shown.length) {
        seg.tabIndex = 0;
        seg.setAttribute("role", "button");
        const names = shown.map((s) => `${labelOf(s)} (${s.status ? s.statusText : s.layer})`);
        seg.setAttribute("aria-label", `${seg.textContent}: ${names.join("; ")}`);
      } else {
        for (const name of ["tabindex", "role", "aria-label"]) seg.removeAttribute(name);
      }
      window.dprkmediaLook.underline(seg, shown.map((s) => ({ colour: colourOf(s), pattern: patternOf(s) })));
      const entity = shown.find((s) => s.layer === "entities" && !s.status);
      seg.style.setProperty("background-color", entity ? colourOf(entity) + "2e" : "");
      if (state.mode === "gold") {
        const first = shown.filter((s) => s.start === Number(seg.dataset.start));
        if (first.length) starts.set(seg, first);
      }
    }
    for (const tags of document.querySelectorAll("#text .tags")) tags.remove();
    for (const [seg, spans] of starts) {
      const group = el("span", { class: "tags", "aria-hidden": "true" });
      for (const s of spans) {
        const tag = el("span", { class: "tag", "data-layer": s.layer }, labelOf(s));
        window.dprkmediaLook.underline(tag, [{ colour: colourOf(s), pattern: patternOf(s) }]);
        group.append(tag);
      }
      seg.before(group);
    }
  }

  /* The card: every visible span of the segment, with label, category, definition,
   * TIMEX3 value, canonical name, note. */
  function cardEntry(span) {
    const info = labelInfo(span.layer, labelOf(span));
    const box = el("div", { class: "entry" });
    const head = el("div", { class: "entry-head" });
    const swatch = el("span", { class: "swatch" });
    window.dprkmediaLook.swatch(swatch, colourOf(span), patternOf(span));
    head.append(swatch, el("strong", { class: "card-label" }, labelOf(span)));
    head.append(el("span", { class: "muted" }, " · " + span.layer + (info ? " · " + info.scheme : "")));
    box.append(head);
    if (span.status) box.append(el("div", { class: "status" }, span.statusText));
    const rows = [
      ["Category", span.category || (info && info.category)],
      ["TIMEX3 value", span.value],
      ["Canonical name", span.norm],
      ["Text", "“" + span.text + "”"],
      ["Definition", info && info.definition],
      ["Note", span.note],
      ["Confidence", span.confidence && CONFIDENCE_TEXT[span.confidence]],
    ];
    const dl = el("dl");
    for (const [name, value] of rows) {
      if (value === undefined || value === null || value === "") continue;
      dl.append(el("dt", {}, name), el("dd", { "data-field": name }, String(value)));
    }
    box.append(dl);
    return box;
  }

  function showCard(seg) {
    const card = document.getElementById("card");
    const shown = shownSpans(seg);
    if (!shown.length) return hideCard();
    card.replaceChildren(...shown.map(cardEntry));
    card.hidden = false;
    for (const other of document.querySelectorAll("#text [aria-describedby]")) other.removeAttribute("aria-describedby");
    seg.setAttribute("aria-describedby", "card");
    card.owner = seg;
    window.dprkmediaLook.placeCard(card, seg.getBoundingClientRect());
  }

  /* A card opened by a click, a tap, Enter or Space stays until Escape or a click elsewhere. */
  function pinCard(seg) {
    const card = document.getElementById("card");
    if (!card.hidden && card.owner === seg && card.dataset.pinned) return hideCard();
    showCard(seg);
    if (!card.hidden) card.dataset.pinned = "true";
  }

  function hideCard() {
    const card = document.getElementById("card");
    card.hidden = true;
    delete card.dataset.pinned;
    card.owner = null;
    for (const seg of document.querySelectorAll("#text [aria-describedby]")) seg.removeAttribute("aria-describedby");
  }

  function init() {
    const node = document.getElementById("page-data");
    if (!node) return;
    state.data = JSON.parse(node.textContent);
    state.chars = Array.from(state.data.doc.text);
    for (const info of state.data.labels) state.labels.set(info.layer + "\u0000" + info.name, info);
    state.data.spans.forEach((s) => (s.key = s.id));
    const text = document.getElementById("text");
    const card = document.getElementById("card");
    const pinned = () => Boolean(card.dataset.pinned);
    text.addEventListener("mouseover", (event) => {
      const seg = event.target.closest && event.target.closest(".seg.ann");
      if (seg && !pinned()) showCard(seg);
    });
    const leave = (event) => {
      const to = event.relatedTarget;
      if (!pinned() && (!to || !(text.contains(to) || card.contains(to)))) hideCard();
    };
    text.addEventListener("mouseout", leave);
    card.addEventListener("mouseout", leave); // the card can be scrolled: moving onto it keeps it
    text.addEventListener("focusin", (event) => {
      if (event.target.classList.contains("seg") && !pinned()) showCard(event.target);
    });
    text.addEventListener("focusout", (event) => {
      if (!pinned() && !card.contains(event.relatedTarget)) hideCard();
    });
    text.addEventListener("click", (event) => {
      const seg = event.target.closest && event.target.closest(".seg.ann");
      if (seg && state.mode === "gold") pinCard(seg);
    });
    text.addEventListener("keydown", (event) => {
      const seg = event.target.closest && event.target.closest(".seg.ann");
      if (seg && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        pinCard(seg);
      }
    });
    document.addEventListener("click", (event) => {
      if (pinned() && !card.contains(event.target) && !(card.owner && card.owner.contains(event.target))) hideCard();
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape") hideCard();
    });
    for (const box of document.querySelectorAll("#toggles input")) box.addEventListener("change", paint);
    segment(state.data.spans);
    paint();
  }

  return { init, state, el, slice, labelOf, segment, paint, hideCard };
})();

function colourSwatches() {
  for (const swatch of document.querySelectorAll("[data-colour]")) {
    if (!COLOUR.test(swatch.dataset.colour)) continue;
    if (swatch.dataset.pattern) window.dprkmediaLook.swatch(swatch, swatch.dataset.colour, swatch.dataset.pattern);
    else swatch.style.setProperty("background-color", swatch.dataset.colour);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  window.dprkmediaLook.initProjector();
  colourSwatches();
  Viewer.init();
  document.body.dataset.ready = "true";
});

window.dprkmedia = { Viewer, Dom };
