/* DPRK–Russia State Media Corpus: search over the corpus (made by `dprkmedia site`).
 *
 * The texts and spans are the page's inline JSON (#search-data); nothing is fetched. Results
 * reach the page through textContent only. Offsets in links are code points, as in the dataset.
 * The query is kept in the address (search.html?q=…&label=layer:Label), so a search can be linked.
 */
"use strict";

const Search = (() => {
  const CONTEXT = 60;
  let data = null;
  const $ = (id) => document.getElementById(id);
  const { el } = window.dprkmedia.Dom;

  // Case-insensitive matching that keeps offsets: a character is folded alone, so the folded
  // text has one entry per code point of the original.
  const fold = (chars) => chars.map((c) => (c.toLowerCase().length === c.length ? c.toLowerCase() : c));

  function prepare(raw) {
    raw.docs.forEach((doc) => {
      doc.chars = Array.from(doc.text);
      doc.folded = fold(doc.chars);
    });
    return raw;
  }

  // Every start (code points) of needle in the document.
  function occurrences(doc, needle) {
    const found = [];
    const n = needle.length;
    outer: for (let i = 0; i + n <= doc.folded.length; i += 1) {
      for (let j = 0; j < n; j += 1) if (doc.folded[i + j] !== needle[j]) continue outer;
      found.push(i);
    }
    return found;
  }

  function contains(doc, start, end, needle) {
    return occurrences({ folded: doc.folded.slice(start, end) }, needle).length > 0;
  }

  function results(query, label) {
    const needle = fold(Array.from(query.trim()));
    const hits = [];
    if (label) {
      const [layer, name] = [label.slice(0, label.indexOf(":")), label.slice(label.indexOf(":") + 1)];
      const docs = new Map(data.docs.map((doc) => [doc.id, doc]));
      for (const span of data.spans) {
        if (span.layer !== layer || span.label !== name) continue;
        const doc = docs.get(span.doc);
        if (needle.length && !contains(doc, span.start, span.end, needle)) continue;
        hits.push({ doc, start: span.start, end: span.end, label: `${name} (${layer})`, href: `${doc.id}.html#span=${encodeURIComponent(span.id)}` });
      }
    } else if (needle.length) {
      for (const doc of data.docs) {
        for (const start of occurrences(doc, needle)) {
          const end = start + needle.length;
          hits.push({ doc, start, end, label: "", href: `${doc.id}.html#at=${start}-${end}` });
        }
      }
    }
    return hits;
  }

  function line(doc, start, end) {
    let a = start;
    let b = end;
    while (a > 0 && doc.chars[a - 1] !== "\n" && start - a < CONTEXT) a -= 1;
    while (b < doc.chars.length && doc.chars[b] !== "\n" && b - end < CONTEXT) b += 1;
    const left = (a > 0 && doc.chars[a - 1] !== "\n" ? "…" : "") + doc.chars.slice(a, start).join("");
    const right = doc.chars.slice(end, b).join("") + (b < doc.chars.length && doc.chars[b] !== "\n" ? "…" : "");
    return [left, doc.chars.slice(start, end).join(""), right];
  }

  function show() {
    const query = $("q").value;
    const label = $("label").value;
    const params = new URLSearchParams();
    if (query.trim()) params.set("q", query.trim());
    if (label) params.set("label", label);
    const search = params.toString();
    history.replaceState(null, "", search ? `?${search}` : window.location.pathname);
    if (!query.trim() && !label) {
      $("results").replaceChildren();
      $("summary").textContent = "Type a word or choose a label.";
      return;
    }
    const hits = results(query, label);
    const articles = new Set(hits.map((h) => h.doc.id)).size;
    $("summary").textContent = `${hits.length} result${hits.length === 1 ? "" : "s"} in ${articles} article${articles === 1 ? "" : "s"}.`;
    $("results").replaceChildren(
      ...hits.map((hit) => {
        const [left, middle, right] = line(hit.doc, hit.start, hit.end);
        const item = el("li", { "data-doc": hit.doc.id, "data-start": String(hit.start), "data-end": String(hit.end) });
        item.append(el("span", { class: "left" }, left), el("mark", {}, middle), el("span", { class: "right" }, right));
        const where = el("div", { class: "where" });
        const link = el("a", { href: hit.href, class: "goto" }, hit.doc.title);
        where.append(link, el("span", { class: "muted" }, ` · ${hit.doc.id.slice(0, 3)}${hit.label ? " · " + hit.label : ""}`));
        item.append(where);
        return item;
      }),
    );
  }

  function init() {
    const node = $("search-data");
    if (!node) return;
    data = prepare(JSON.parse(node.textContent));
    const params = new URLSearchParams(window.location.search);
    $("q").value = params.get("q") || "";
    const label = params.get("label") || "";
    if (Array.from($("label").options).some((o) => o.value === label)) $("label").value = label;
    $("q").addEventListener("input", show);
    $("label").addEventListener("change", show);
    show();
    document.body.dataset.viewReady = "true";
  }

  return { init, results };
})();

document.addEventListener("DOMContentLoaded", () => Search.init());
