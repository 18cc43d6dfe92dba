/* DPRK–Russia State Media Corpus: the exercise of the classroom viewer (made by `dprkmedia site`).
 *
 * Loaded after site.js, whose Viewer draws the text (segments, underlines, cards); this file
 * holds the scorer and the exercise: the student's spans, check, download. No network; text
 * from the data only reaches the page through textContent.
 */
"use strict";

/* --- scoring: the formulas of src/dprkmedia/score.py, for one document -------------- */

const Score = (() => {
  // _ratio: 0/0 counts as 1; a count of 0 against a non-zero other counts as 0.
  function ratio(credit, count, other) {
    if (count === 0) return other === 0 ? 1.0 : 0.0;
    return credit / count;
  }
  // make_prf
  function prf(pCredit, rCredit, predicted, gold) {
    const precision = ratio(pCredit, predicted, gold);
    const recall = ratio(rCredit, gold, predicted);
    const f1 = precision + recall === 0 ? 0.0 : (2 * precision * recall) / (precision + recall);
    return { precision, recall, f1, predicted, gold };
  }
  // overlap: characters two [start, end) spans share
  function overlap(a, b) {
    return Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]));
  }
  // exact_prf: a predicted span counts when the same (start, end, label) is gold (as sets)
  function exact(gold, pred) {
    const goldKeys = new Set(gold.map((s) => JSON.stringify(s)));
    const predKeys = new Set(pred.map((s) => JSON.stringify(s)));
    let matched = 0;
    for (const key of predKeys) if (goldKeys.has(key)) matched += 1;
    return prf(matched, matched, pred.length, gold.length);
  }
  // partial_prf: PTC / SemEval partial credit over same-label pairs
  function partial(gold, pred) {
    let pCredit = 0.0;
    let rCredit = 0.0;
    for (const s of pred) {
      for (const t of gold) {
        if (s[2] === t[2]) {
          const shared = overlap(s, t);
          pCredit += shared / (s[1] - s[0]);
          rCredit += shared / (t[1] - t[0]);
        }
      }
    }
    return prf(pCredit, rCredit, pred.length, gold.length);
  }
  // _per_doc with one document: exact and partial
  function document(gold, pred) {
    const e = exact(gold, pred);
    const p = partial(gold, pred);
    const eMatched = pred.length ? e.precision * pred.length : 0;
    const pCredit = pred.length ? p.precision * pred.length : 0;
    const rCredit = gold.length ? p.recall * gold.length : 0;
    return {
      exact: prf(eMatched, eMatched, pred.length, gold.length),
      partial: prf(pCredit, rCredit, pred.length, gold.length),
    };
  }
  // one layer as `dprkmedia score` reports it: ALL, then each label of gold or pred, sorted
  function layer(gold, pred) {
    const result = document(gold, pred);
    const labels = Array.from(new Set(gold.concat(pred).map((s) => s[2]))).sort();
    result.labels = {};
    for (const label of labels) {
      const only = (spans) => spans.filter((s) => s[2] === label);
      result.labels[label] = document(only(gold), only(pred));
    }
    return result;
  }
  return { prf, overlap, exact, partial, document, layer };
})();

/* --- the exercise ------------------------------------------------------------------------ */

const Exercise = (() => {
  const { state, el, slice, labelOf, segment, paint, hideCard } = Viewer;
  const STATUS_COLOUR = { exact: "#1a7f37", partial: "#9a6700", extra: "#c62828", missed: "#c62828", mine: "#3d3d3d" };
  const STATUS_TEXT = {
    exact: "exact match with a gold span",
    partial: "overlaps a gold span of the same label",
    extra: "no gold span of this label here",
    missed: "gold span you did not mark",
    mine: "your span",
  };

  // A span drawn in exercise mode carries its status, and the colour and card text of that status.
  function withStatus(span, status) {
    return { ...span, status, colour: STATUS_COLOUR[status], statusText: STATUS_TEXT[status] };
  }

  /* --- the exercise -------------------------------------------------------------------- */

  // A DOM point (node, UTF-16 offset) as a code-point offset into the document text.
  function pointOffset(node, offset) {
    if (node.nodeType === Node.TEXT_NODE) {
      const seg = node.parentElement && node.parentElement.closest(".seg, p[data-start]");
      if (!seg) return null;
      return Number(seg.dataset.start) + Array.from(node.data.slice(0, offset)).length;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return null;
    const segs = Array.from(node.querySelectorAll(".seg"));
    if (node.classList.contains("seg")) segs.push(node);
    if (!segs.length) return null;
    const child = node.childNodes[offset];
    if (child) {
      const first = child.nodeType === Node.ELEMENT_NODE ? (child.matches(".seg") ? child : child.querySelector(".seg")) : null;
      if (first) return Number(first.dataset.start);
      if (child.nodeType === Node.TEXT_NODE) return pointOffset(child, 0);
    }
    const last = segs[segs.length - 1];
    return Number(last.dataset.start) + Array.from(last.textContent).length;
  }

  function selectionSpan() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0) return undefined;
    const range = selection.getRangeAt(0);
    const text = document.getElementById("text");
    if (!text.contains(range.commonAncestorContainer)) return undefined; // elsewhere: keep what we had
    if (range.collapsed) return null;
    let start = pointOffset(range.startContainer, range.startOffset);
    let end = pointOffset(range.endContainer, range.endOffset);
    if (start === null || end === null) return null;
    while (start < end && /\s/u.test(state.chars[start])) start += 1;
    while (end > start && /\s/u.test(state.chars[end - 1])) end -= 1;
    return start < end ? { start, end, text: slice(start, end) } : null;
  }

  function onSelection() {
    if (state.mode !== "exercise") return;
    const span = selectionSpan();
    if (span === undefined) return;
    state.pending = span;
    const note = document.getElementById("ex-selection");
    note.textContent = span
      ? `Selected: “${span.text}” (characters ${span.start}–${span.end})`
      : "No passage selected.";
    document.getElementById("ex-add").disabled = !span;
    const norm = document.getElementById("ex-norm");
    if (span) norm.value = span.text;
  }

  function fillLabels() {
    const layer = document.getElementById("ex-layer").value;
    const select = document.getElementById("ex-label");
    const groups = new Map();
    for (const info of state.data.labels.filter((l) => l.layer === layer)) {
      const group = info.category || info.scheme;
      if (!groups.has(group)) groups.set(group, el("optgroup", { label: group }));
      groups.get(group).append(el("option", { value: info.name }, info.name));
    }
    select.replaceChildren(...groups.values());
    document.getElementById("ex-norm-row").hidden = layer !== "entities";
  }

  function message(text) {
    document.getElementById("ex-message").textContent = text;
  }

  function addSpan() {
    const span = state.pending;
    if (!span) return message("Select a passage in the text first.");
    const layer = document.getElementById("ex-layer").value;
    const label = document.getElementById("ex-label").value;
    if (state.student.some((s) => s.layer === layer && s.label === label && s.start === span.start && s.end === span.end)) {
      return message("You already have that span with that label.");
    }
    const mine = { layer, start: span.start, end: span.end, text: span.text, label };
    if (layer === "entities") mine.norm = document.getElementById("ex-norm").value.trim() || span.text;
    state.student.push(mine);
    state.pending = null;
    document.getElementById("ex-add").disabled = true;
    document.getElementById("ex-selection").textContent = "No passage selected.";
    window.getSelection().removeAllRanges();
    state.checked = null;
    message(`Added ${label}: “${span.text}”.`);
    refreshExercise();
  }

  function sortedStudent() {
    const order = state.data.layers;
    return state.student
      .slice()
      .sort((a, b) => order.indexOf(a.layer) - order.indexOf(b.layer) || a.start - b.start || a.end - b.end || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  }

  function refreshExercise() {
    const list = document.getElementById("ex-spans");
    list.replaceChildren(
      ...state.student.map((s, i) => {
        const item = el("li", {}, `${s.label} (${s.layer}): “${s.text}” `);
        const remove = el("button", { type: "button", class: "remove", "aria-label": `Remove ${s.label} “${s.text}”` }, "remove");
        remove.addEventListener("click", () => {
          state.student.splice(i, 1);
          state.checked = null;
          refreshExercise();
        });
        item.append(remove);
        return item;
      }),
    );
    if (!state.checked) document.getElementById("ex-result").replaceChildren();
    segment(exerciseSpans());
    paint();
  }

  // What the text shows in exercise mode: your spans; after "check" also the gold you missed.
  function exerciseSpans() {
    const mine = state.student.map((s, i) => withStatus({ ...s, key: `mine${i + 1}` }, state.checked ? state.checked.status[i] : "mine"));
    const missed = state.checked ? state.checked.missed.map((s) => withStatus({ ...s, key: "missed-" + s.key }, "missed")) : [];
    return mine.concat(missed);
  }

  function triples(spans) {
    return spans.map((s) => [s.start, s.end, labelOf(s)]);
  }

  const fmt = (x) => x.toFixed(3);

  function resultTable(layer, result) {
    const table = el("table", { class: "score", "data-layer": layer });
    table.append(el("caption", {}, `${layer}: your spans against the gold`));
    const head = el("tr");
    for (const name of ["", "gold", "yours", "exact P", "exact R", "exact F1", "partial P", "partial R", "partial F1"]) {
      head.append(el("th", { scope: "col" }, name));
    }
    const thead = el("thead");
    thead.append(head);
    table.append(thead);
    const body = el("tbody");
    const row = (name, r) => {
      const tr = el("tr", { "data-row": name });
      tr.append(el("th", { scope: "row" }, name));
      const cells = [r.exact.gold, r.exact.predicted, fmt(r.exact.precision), fmt(r.exact.recall), fmt(r.exact.f1), fmt(r.partial.precision), fmt(r.partial.recall), fmt(r.partial.f1)];
      const keys = ["gold", "predicted", "exact-precision", "exact-recall", "exact-f1", "partial-precision", "partial-recall", "partial-f1"];
      cells.forEach((value, i) => tr.append(el("td", { "data-key": keys[i] }, String(value))));
      body.append(tr);
    };
    row("ALL", result);
    for (const [label, r] of Object.entries(result.labels)) row(label, r);
    table.append(body);
    return table;
  }

  function check() {
    const layers = Array.from(new Set([document.getElementById("ex-layer").value].concat(state.student.map((s) => s.layer))));
    const results = {};
    const status = state.student.map(() => "extra");
    const missed = [];
    for (const layer of layers) {
      const gold = state.data.spans.filter((s) => s.layer === layer);
      const minePairs = state.student.map((s, i) => [s, i]).filter(([s]) => s.layer === layer);
      const mine = sortedStudent().filter((s) => s.layer === layer);
      results[layer] = Score.layer(triples(gold), triples(mine));
      for (const [s, i] of minePairs) {
        const same = gold.filter((g) => labelOf(g) === s.label);
        if (same.some((g) => g.start === s.start && g.end === s.end)) status[i] = "exact";
        else if (same.some((g) => Score.overlap([g.start, g.end], [s.start, s.end]) > 0)) status[i] = "partial";
      }
      for (const g of gold) {
        const hit = state.student.some((s) => s.layer === layer && s.label === labelOf(g) && Score.overlap([g.start, g.end], [s.start, s.end]) > 0);
        if (!hit) missed.push(g);
      }
    }
    state.checked = { status, missed, results };
    const out = document.getElementById("ex-result");
    out.dataset.result = JSON.stringify(results);
    const genre = document.getElementById("ex-genre").value;
    const parts = layers.map((layer) => resultTable(layer, results[layer]));
    const legend = el("p", { class: "legend" });
    for (const name of ["exact", "partial", "extra", "missed"]) {
      const swatch = el("span", { class: "swatch" });
      swatch.style.setProperty("background-color", STATUS_COLOUR[name]);
      legend.append(swatch, ` ${name}: ${STATUS_TEXT[name]}  `);
    }
    parts.push(legend);
    if (genre) {
      const gold = state.data.doc.genre;
      parts.push(el("p", { class: "genre" }, `Genre: you chose ${genre}; the gold says ${gold}.`));
    }
    out.replaceChildren(...parts);
    refreshExercise();
    out.scrollIntoView({ block: "start" });
    message(`Checked: ${missed.length} gold spans missed are outlined in the text.`);
  }

  function answerLines() {
    const genre = document.getElementById("ex-genre").value;
    const lines = [JSON.stringify({ doc: state.data.doc.id, frames: [], genre, note: "exercise answers from the classroom viewer" })];
    const counters = {};
    for (const s of sortedStudent()) {
      counters[s.layer] = (counters[s.layer] || 0) + 1;
      const record = { layer: s.layer, id: state.data.prefixes[s.layer] + counters[s.layer], start: s.start, end: s.end, text: s.text, label: s.label };
      if (s.layer === "entities") record.norm = s.norm;
      lines.push(JSON.stringify(record));
    }
    return lines.join("\n") + "\n";
  }

  function download() {
    if (!document.getElementById("ex-genre").value) {
      return message("Choose the article's genre first: the annotation format needs one.");
    }
    const blob = new Blob([answerLines()], { type: "application/x-ndjson;charset=utf-8" });
    const link = el("a", { href: URL.createObjectURL(blob), download: `${state.data.doc.id}.answers.jsonl` });
    document.body.append(link);
    link.click();
    link.remove();
    message(`Downloaded ${state.data.doc.id}.answers.jsonl: score it with 'dprkmedia score annotations/${state.data.doc.id}.jsonl FILE'.`);
  }

  function setMode(mode) {
    state.mode = mode;
    hideCard();
    document.getElementById("mode-gold").setAttribute("aria-pressed", String(mode === "gold"));
    document.getElementById("mode-exercise").setAttribute("aria-pressed", String(mode === "exercise"));
    document.getElementById("exercise").hidden = mode !== "exercise";
    document.getElementById("ex-bar").hidden = mode !== "exercise";
    document.getElementById("toggles").hidden = mode !== "gold";
    document.body.dataset.mode = mode;
    if (mode === "gold") {
      segment(state.data.spans);
      paint();
    } else {
      refreshExercise();
    }
  }

  function init() {
    if (!state.data) return;
    document.getElementById("mode-gold").addEventListener("click", () => setMode("gold"));
    document.getElementById("mode-exercise").addEventListener("click", () => setMode("exercise"));
    document.getElementById("ex-layer").addEventListener("change", fillLabels);
    document.getElementById("ex-add").addEventListener("click", addSpan);
    document.getElementById("ex-check").addEventListener("click", check);
    document.getElementById("ex-download").addEventListener("click", download);
    document.getElementById("ex-reset").addEventListener("click", () => {
      state.student = [];
      state.checked = null;
      message("Started again.");
      refreshExercise();
    });
    document.addEventListener("selectionchange", onSelection);
    fillLabels();
    setMode("gold");
  }

  return { init };
})();

document.addEventListener("DOMContentLoaded", () => Exercise.init());

window.dprkmedia.Score = Score;
window.dprkmedia.Exercise = Exercise;
