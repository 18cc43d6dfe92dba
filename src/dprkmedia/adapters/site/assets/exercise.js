/* DPRK–Russia State Media Corpus: the exercise page of the classroom viewer (made by `dprkmedia site`).
 *
 * Loaded after site.js, whose Viewer draws the text (segments, underlines, cards); this file
 * holds the scorer and the exercise: the student's spans (snapped to the dataset's tokens,
 * inside one paragraph), frames and genre, autosave in localStorage, a warning before leaving
 * work that is not downloaded, check and download. The page's own data (#page-data) has no
 * gold in it; the answer key (#answer-key) is read only by "Check". No network; text from the
 * data only reaches the page through textContent.
 */
"use strict";

/* --- scoring: the formulas of src/dprkmedia/evaluate/score.py, for one document ----- */

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
  // document_agreement with one document: frames micro P/R/F1 over (document, frame) pairs, genre accuracy
  function documentLevel(gold, pred) {
    const goldFrames = new Set(gold.frames);
    const predFrames = new Set(pred.frames);
    let both = 0;
    for (const frame of predFrames) if (goldFrames.has(frame)) both += 1;
    const same = gold.genre === pred.genre ? 1 : 0;
    return {
      frames: prf(both, both, predFrames.size, goldFrames.size),
      genre: { documents: 1, agree: same, accuracy: same },
    };
  }
  return { prf, overlap, exact, partial, document, layer, documentLevel };
})();

/* --- the exercise ------------------------------------------------------------------------ */

const Exercise = (() => {
  const { state, el, slice, labelOf, segment, paint, hideCard } = Viewer;
  // Feedback is a mark and a word, never colour alone: ✓ exact, ≈ partial, ✗ extra, ○ missed.
  const STATUS = {
    exact: { mark: "✓", colour: "#1a7f37", text: "exact match with a gold span" },
    partial: { mark: "≈", colour: "#9a6700", text: "overlaps a gold span of the same label" },
    extra: { mark: "✗", colour: "#c62828", text: "no gold span of this label here" },
    missed: { mark: "○", colour: "#c62828", text: "gold span you did not mark" },
    mine: { mark: "", colour: "#3d3d3d", text: "your span" },
  };
  const LAYERS = ["rhetoric", "entities"]; // dates need a TIMEX3 value: not part of the exercise
  const STORE = "dprkmedia.exercise.v1:"; // + document id
  const NAME_STORE = "dprkmedia.exercise.v1.name";
  const LEAVE_WARNING = "Your answers are saved in this browser but not downloaded. Leave this page anyway?";
  const ex = {
    key: null, // the answer key: gold spans, frames, genre
    starts: [], // token starts and ends of the dataset's tokens config, in text order
    ends: [],
    paragraphs: [], // [start, end) of each paragraph of the page
    frames: [],
    genres: [],
    dirty: false, // changed since the last download
    leaving: false,
    storage: null,
  };

  const $ = (id) => document.getElementById(id);
  function withStatus(span, status) {
    return { ...span, status, colour: STATUS[status].colour, statusText: `${STATUS[status].mark} ${STATUS[status].text}`.trim() };
  }
  function message(text) {
    $("ex-message").textContent = text;
  }

  /* --- selections: token boundaries, one paragraph --------------------------------------- */

  // The first index whose value is >= x in an ascending array.
  function lowerBound(values, x) {
    let lo = 0;
    let hi = values.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // [start, end) widened to whole tokens: from the first token that ends after start to the
  // last token that starts before end. Null when no token is inside.
  function snap(start, end) {
    const first = lowerBound(ex.ends, start + 1);
    const last = lowerBound(ex.starts, end) - 1;
    if (first > last || first >= ex.starts.length) return null;
    return [ex.starts[first], ex.ends[last]];
  }

  function paragraphOf(offset) {
    return ex.paragraphs.findIndex(([a, b]) => offset >= a && offset < b);
  }

  // Whether a span could be an answer: on token boundaries, inside one paragraph, its text as in the page.
  function fits(span) {
    const snapped = snap(span.start, span.end);
    const p = paragraphOf(span.start);
    return (
      Number.isInteger(span.start) && Number.isInteger(span.end) && span.start < span.end &&
      snapped !== null && snapped[0] === span.start && snapped[1] === span.end &&
      p >= 0 && p === paragraphOf(span.end - 1) && slice(span.start, span.end) === span.text
    );
  }

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

  // The selection as a candidate span: undefined (not in the text: keep what we had), null
  // (nothing usable), or { start, end, text, snapped, crosses }.
  function selectionSpan() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0) return undefined;
    const range = selection.getRangeAt(0);
    if (!$("text").contains(range.commonAncestorContainer)) return undefined;
    if (range.collapsed) return null;
    let start = pointOffset(range.startContainer, range.startOffset);
    let end = pointOffset(range.endContainer, range.endOffset);
    if (start === null || end === null) return null;
    while (start < end && /\s/u.test(state.chars[start])) start += 1;
    while (end > start && /\s/u.test(state.chars[end - 1])) end -= 1;
    if (start >= end) return null;
    const snapped = snap(start, end);
    if (!snapped) return null;
    const crosses = paragraphOf(snapped[0]) !== paragraphOf(snapped[1] - 1);
    const widened = snapped[0] !== start || snapped[1] !== end;
    return { start: snapped[0], end: snapped[1], text: slice(snapped[0], snapped[1]), widened, crosses };
  }

  function onSelection() {
    const span = selectionSpan();
    if (span === undefined) return;
    const note = $("ex-selection");
    const snapNote = $("ex-snap");
    state.pending = span && !span.crosses ? span : null;
    if (span && span.crosses) {
      note.textContent = "Your selection runs over more than one paragraph; a span stays inside one. Select again.";
    } else {
      note.textContent = span ? `Selected: “${span.text}” (characters ${span.start}–${span.end})` : "No passage selected.";
    }
    snapNote.textContent = state.pending && span.widened ? "Widened to whole words (the dataset's tokens)." : "";
    $("ex-add").disabled = !state.pending;
    if (state.pending) $("ex-norm").value = span.text;
  }

  /* --- the student's answers --------------------------------------------------------------- */

  function fillLabels() {
    const layer = $("ex-layer").value;
    const groups = new Map();
    for (const info of state.data.labels.filter((l) => l.layer === layer)) {
      const group = info.category || info.scheme;
      if (!groups.has(group)) groups.set(group, el("optgroup", { label: group }));
      groups.get(group).append(el("option", { value: info.name }, info.name));
    }
    $("ex-label").replaceChildren(...groups.values());
    $("ex-norm-row").hidden = layer !== "entities";
  }

  function addSpan() {
    const span = state.pending;
    if (!span) return message("Select a passage in the text first.");
    const layer = $("ex-layer").value;
    const label = $("ex-label").value;
    if (state.student.some((s) => s.layer === layer && s.label === label && s.start === span.start && s.end === span.end)) {
      return message("You already have that span with that label.");
    }
    const mine = { layer, start: span.start, end: span.end, text: span.text, label };
    if (layer === "entities") mine.norm = $("ex-norm").value.trim() || span.text;
    state.student.push(mine);
    state.pending = null;
    $("ex-add").disabled = true;
    $("ex-selection").textContent = "No passage selected.";
    $("ex-snap").textContent = "";
    window.getSelection().removeAllRanges();
    changed(`Added ${label}: “${span.text}”.`);
  }

  function frames() {
    return ex.frames.filter((name) => document.querySelector(`#ex-frames input[value="${CSS.escape(name)}"]`).checked);
  }
  function genre() {
    const chosen = document.querySelector("#ex-genre input:checked");
    return chosen ? chosen.value : "";
  }
  function hasWork() {
    return state.student.length > 0 || frames().length > 0 || genre() !== "";
  }

  // Any change: the check is out of date, the work is saved here and not yet downloaded.
  function changed(text) {
    state.checked = null;
    ex.dirty = true;
    save();
    refresh();
    if (text) message(text);
  }

  function sortedStudent() {
    const order = state.data.layers;
    return state.student
      .slice()
      .sort((a, b) => order.indexOf(a.layer) - order.indexOf(b.layer) || a.start - b.start || a.end - b.end || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  }

  /* --- autosave: localStorage, per document ------------------------------------------------ */

  function openStorage() {
    try {
      const probe = STORE + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null;
    }
  }

  function save() {
    if (!ex.storage) return;
    const work = {
      version: 1,
      doc: state.data.doc.id,
      spans: state.student,
      frames: frames(),
      genre: genre(),
      dirty: ex.dirty,
      saved: new Date().toISOString(),
    };
    try {
      if (hasWork() || ex.dirty) ex.storage.setItem(STORE + state.data.doc.id, JSON.stringify(work));
      else ex.storage.removeItem(STORE + state.data.doc.id);
      $("ex-saved").textContent = `Saved in this browser at ${work.saved.slice(11, 19)} UTC.`;
    } catch (error) {
      $("ex-saved").textContent = "This browser did not save your work: download it before you leave.";
    }
  }

  function restore() {
    let work = null;
    try {
      work = JSON.parse(ex.storage.getItem(STORE + state.data.doc.id) || "null");
    } catch (error) {
      work = null;
    }
    if (!work || work.version !== 1 || work.doc !== state.data.doc.id) return;
    const labels = new Set(state.data.labels.filter((l) => LAYERS.includes(l.layer)).map((l) => l.layer + "\u0000" + l.name));
    const spans = (Array.isArray(work.spans) ? work.spans : []).filter(
      (s) => s && labels.has(s.layer + "\u0000" + s.label) && fits(s),
    );
    const dropped = (Array.isArray(work.spans) ? work.spans.length : 0) - spans.length;
    state.student = spans.map((s) => {
      const kept = { layer: s.layer, start: s.start, end: s.end, text: s.text, label: s.label };
      if (s.layer === "entities") kept.norm = typeof s.norm === "string" && s.norm.trim() ? s.norm.trim() : s.text;
      return kept;
    });
    const chosen = new Set(Array.isArray(work.frames) ? work.frames : []);
    for (const box of document.querySelectorAll("#ex-frames input")) box.checked = chosen.has(box.value);
    for (const radio of document.querySelectorAll("#ex-genre input")) radio.checked = radio.value === work.genre;
    ex.dirty = Boolean(work.dirty);
    const when = typeof work.saved === "string" ? ` (saved ${work.saved.slice(0, 16).replace("T", " ")} UTC)` : "";
    const chosenFrames = frames().length;
    message(
      `Restored your work from this browser${when}: ${state.student.length} spans, ${chosenFrames} frames, ` +
        `genre ${genre() || "not chosen"}.` +
        (dropped > 0 ? ` ${dropped} saved spans no longer fit the text and were left out.` : ""),
    );
  }

  /* --- leaving with work that is not downloaded -------------------------------------------- */

  function unsaved() {
    return ex.dirty && hasWork() && !ex.leaving;
  }

  function guardLinks(event) {
    const link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.getAttribute("href").startsWith("#") || link.hasAttribute("download")) return;
    if (!unsaved()) return;
    if (window.confirm(LEAVE_WARNING)) ex.leaving = true;
    else event.preventDefault();
  }

  /* --- the text: your spans, and after a check the gold you missed -------------------------- */

  function exerciseSpans() {
    const mine = state.student.map((s, i) => withStatus({ ...s, key: `mine${i + 1}` }, state.checked ? state.checked.status[i] : "mine"));
    const missed = state.checked ? state.checked.missed.map((s, i) => withStatus({ ...s, key: `missed${i + 1}` }, "missed")) : [];
    return mine.concat(missed);
  }

  // The marks after the last character of each checked span (a pseudo-element: not text you can select).
  function markEnds(spans) {
    const ends = new Map();
    for (const s of spans) {
      const mark = STATUS[s.status].mark;
      if (mark) ends.set(s.end, (ends.get(s.end) || "") + mark);
    }
    for (const seg of document.querySelectorAll("#text .seg")) {
      const end = Number(seg.dataset.start) + Array.from(seg.textContent).length;
      if (ends.has(end) && seg.spans && seg.spans.some((s) => s.end === end)) seg.dataset.marks = ends.get(end);
      else delete seg.dataset.marks;
    }
  }

  function refresh() {
    $("ex-spans").replaceChildren(
      ...state.student.map((s, i) => {
        const status = state.checked ? state.checked.status[i] : "mine";
        const item = el("li", { "data-status": status });
        if (STATUS[status].mark) item.append(el("span", { class: "mark", "aria-label": status }, STATUS[status].mark + " "));
        item.append(`${s.label} (${s.layer}): “${s.text}” `);
        const remove = el("button", { type: "button", class: "remove", "aria-label": `Remove ${s.label} “${s.text}”` }, "remove");
        remove.addEventListener("click", () => {
          state.student.splice(i, 1);
          changed(`Removed ${s.label}: “${s.text}”.`);
        });
        item.append(remove);
        return item;
      }),
    );
    $("ex-count").textContent = String(state.student.length);
    if (!state.checked) $("ex-result").replaceChildren();
    const spans = exerciseSpans();
    segment(spans);
    paint();
    markEnds(spans);
  }

  /* --- check ---------------------------------------------------------------------------------- */

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

  function documentTable(result, mine) {
    const table = el("table", { class: "score", "data-layer": "document" });
    table.append(el("caption", {}, "Frames and genre: your answers against the gold"));
    const body = el("tbody");
    const f = result.frames;
    const rows = [
      ["frames", `gold: ${ex.key.frames.join(", ") || "none"}; yours: ${mine.frames.join(", ") || "none"}`, `P ${fmt(f.precision)} R ${fmt(f.recall)} F1 ${fmt(f.f1)}`],
      ["genre", `gold: ${ex.key.genre}; yours: ${mine.genre || "not answered"}`, mine.genre ? (result.genre.agree ? "✓ same" : "✗ different") : "—"],
    ];
    for (const [name, what, figure] of rows) {
      const tr = el("tr", { "data-row": name });
      tr.append(el("th", { scope: "row" }, name), el("td", {}, what), el("td", { "data-key": name }, figure));
      body.append(tr);
    }
    table.append(body);
    return table;
  }

  function check() {
    const layers = LAYERS.filter((layer) => layer === $("ex-layer").value || state.student.some((s) => s.layer === layer));
    const results = {};
    const status = state.student.map(() => "extra");
    const missed = [];
    for (const layer of layers) {
      const gold = ex.key.spans.filter((s) => s.layer === layer);
      const mine = sortedStudent().filter((s) => s.layer === layer);
      results[layer] = Score.layer(triples(gold), triples(mine));
      state.student.forEach((s, i) => {
        if (s.layer !== layer) return;
        const same = gold.filter((g) => labelOf(g) === s.label);
        if (same.some((g) => g.start === s.start && g.end === s.end)) status[i] = "exact";
        else if (same.some((g) => Score.overlap([g.start, g.end], [s.start, s.end]) > 0)) status[i] = "partial";
      });
      for (const g of gold) {
        const hit = state.student.some((s) => s.layer === layer && s.label === labelOf(g) && Score.overlap([g.start, g.end], [s.start, s.end]) > 0);
        if (!hit) missed.push(g);
      }
    }
    const mine = { frames: frames(), genre: genre() };
    const documentLevel = Score.documentLevel(ex.key, mine);
    state.checked = { status, missed, results };
    const out = $("ex-result");
    out.dataset.result = JSON.stringify({ ...results, document: documentLevel });
    const legend = el("p", { class: "legend" });
    for (const name of ["exact", "partial", "extra", "missed"]) {
      legend.append(el("span", { class: "mark", "data-status": name }, STATUS[name].mark), ` ${name}: ${STATUS[name].text}. `);
    }
    const parts = [legend, ...layers.map((layer) => resultTable(layer, results[layer])), documentTable(documentLevel, mine)];
    out.replaceChildren(...parts);
    refresh();
    out.scrollIntoView({ block: "start" });
    const counts = ["exact", "partial", "extra"].map((name) => `${status.filter((s) => s === name).length} ${STATUS[name].mark} ${name}`);
    message(`Checked: ${counts.join(", ")}, ${missed.length} ${STATUS.missed.mark} missed (outlined in the text).`);
  }

  /* --- download: an annotation file that `dprkmedia score` reads ------------------------------- */

  function answerLines() {
    const header = { doc: state.data.doc.id, frames: frames(), genre: genre() };
    const name = $("ex-name").value.trim();
    if (name) header.annotators = [name];
    header.note = "exercise answers from the classroom viewer";
    const lines = [JSON.stringify(header)];
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
    if (!genre()) return message("Choose the article's genre first: the annotation format needs one.");
    const blob = new Blob([answerLines()], { type: "application/x-ndjson;charset=utf-8" });
    const file = `${state.data.doc.id}.answers.jsonl`;
    const link = el("a", { href: URL.createObjectURL(blob), download: file });
    document.body.append(link);
    link.click();
    link.remove();
    ex.dirty = false;
    save();
    message(`Downloaded ${file}: score it with 'dprkmedia score annotations/${state.data.doc.id}.jsonl ${file}'.`);
  }

  function startAgain() {
    if (hasWork() && !window.confirm("Remove all your spans, frames and genre for this article?")) return;
    state.student = [];
    for (const box of document.querySelectorAll("#ex-frames input, #ex-genre input")) box.checked = false;
    state.checked = null;
    ex.dirty = false;
    save();
    refresh();
    message("Started again.");
  }

  /* --- print: a worksheet, never the answers ------------------------------------------------- */

  function forPrint(printing) {
    if (printing) {
      hideCard();
      segment([]);
      paint();
      markEnds([]);
    } else {
      refresh();
    }
  }

  function init() {
    const node = $("answer-key");
    if (!node || !state.data || !state.data.exercise) return;
    ex.key = JSON.parse(node.textContent);
    ex.key.spans.forEach((s) => (s.key = s.id));
    const data = state.data.exercise;
    ex.starts = data.tokens.map((t) => t[0]);
    ex.ends = data.tokens.map((t) => t[1]);
    ex.frames = data.frames;
    ex.genres = data.genres;
    ex.paragraphs = Array.from(document.querySelectorAll("#text p[data-start]")).map((p) => {
      const start = Number(p.dataset.start);
      return [start, start + Array.from(p.textContent).length];
    });
    state.mode = "exercise";
    document.body.dataset.mode = "exercise";
    ex.storage = openStorage();
    if (!ex.storage) $("ex-saved").textContent = "This browser does not let the page save your work: download it before you leave.";
    else restore();
    try {
      $("ex-name").value = (ex.storage && ex.storage.getItem(NAME_STORE)) || "";
    } catch (error) {
      $("ex-name").value = "";
    }
    $("ex-name").addEventListener("change", () => {
      try {
        if (ex.storage) ex.storage.setItem(NAME_STORE, $("ex-name").value.trim());
      } catch (error) {
        /* not saved: the name is only a convenience */
      }
    });
    $("ex-layer").addEventListener("change", fillLabels);
    $("ex-add").addEventListener("click", addSpan);
    $("ex-check").addEventListener("click", check);
    $("ex-download").addEventListener("click", download);
    $("ex-reset").addEventListener("click", startAgain);
    for (const box of document.querySelectorAll("#ex-frames input, #ex-genre input")) {
      box.addEventListener("change", () => changed(""));
    }
    document.addEventListener("selectionchange", onSelection);
    document.addEventListener("click", guardLinks);
    window.addEventListener("beforeunload", (event) => {
      if (!unsaved()) return;
      event.preventDefault();
      event.returnValue = LEAVE_WARNING;
    });
    window.addEventListener("beforeprint", () => forPrint(true));
    window.addEventListener("afterprint", () => forPrint(false));
    fillLabels();
    refresh();
    document.body.dataset.exerciseReady = "true";
  }

  return { init, snap, answerLines };
})();

document.addEventListener("DOMContentLoaded", () => Exercise.init());

window.dprkmedia.Score = Score;
window.dprkmedia.Exercise = Exercise;
