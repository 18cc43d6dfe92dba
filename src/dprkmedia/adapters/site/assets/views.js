/* DPRK–Russia State Media Corpus: positions in an article (made by `dprkmedia site`).
 *
 * The glossary, the label pages and search link to a place in an article as
 * <doc>.html#span=<id> (a span of the gold) or <doc>.html#at=<start>-<end> (code points).
 * Loaded after site.js, which has drawn the text: this scrolls to the place and marks it.
 */
"use strict";

const Position = (() => {
  const CLASS = "target";

  // The [start, end) of the place the address names, or null.
  function place() {
    const hash = decodeURIComponent(window.location.hash.slice(1));
    const data = window.dprkmedia && window.dprkmedia.Viewer.state.data;
    if (!data) return null;
    if (hash.startsWith("span=")) {
      const span = data.spans.find((s) => s.id === hash.slice(5));
      return span ? { start: span.start, end: span.end, id: span.id } : null;
    }
    const match = /^at=(\d+)-(\d+)$/.exec(hash);
    if (!match) return null;
    const [start, end] = [Number(match[1]), Number(match[2])];
    return start < end && end <= data.doc.text.length ? { start, end, id: null } : null;
  }

  // Every segment of the text that lies in [start, end) (site.js cuts segments at span boundaries,
  // so a span is whole segments; a text hit inside one segment marks that segment).
  function segments(start, end) {
    return Array.from(document.querySelectorAll("#text .seg")).filter((seg) => {
      const a = Number(seg.dataset.start);
      const b = a + Array.from(seg.textContent).length;
      return a < end && b > start;
    });
  }

  // A DOM point for a code-point offset: the text node of the segment that holds it.
  function point(offset, atEnd) {
    for (const seg of document.querySelectorAll("#text .seg")) {
      const a = Number(seg.dataset.start);
      const chars = Array.from(seg.textContent);
      if (offset > a + chars.length || offset < a || (offset === a + chars.length && !atEnd) || (offset === a && atEnd && chars.length)) continue;
      const node = seg.firstChild;
      if (!node || node.nodeType !== Node.TEXT_NODE) return null;
      return [node, chars.slice(0, offset - a).join("").length];
    }
    return null;
  }

  // The exact range marked with the CSS Custom Highlight API where the browser has it.
  function highlight(start, end) {
    if (!(window.CSS && CSS.highlights && window.Highlight)) return false;
    CSS.highlights.delete(CLASS);
    const [from, to] = [point(start, false), point(end, true)];
    if (!from || !to) return false;
    const range = document.createRange();
    range.setStart(from[0], from[1]);
    range.setEnd(to[0], to[1]);
    CSS.highlights.set(CLASS, new Highlight(range));
    return true;
  }

  function go() {
    for (const seg of document.querySelectorAll(`#text .${CLASS}`)) seg.classList.remove(CLASS);
    const found = place();
    if (!found) return;
    const segs = segments(found.start, found.end);
    if (!segs.length) return;
    if (found.id || !highlight(found.start, found.end)) for (const seg of segs) seg.classList.add(CLASS);
    document.body.dataset.target = `${found.start}-${found.end}`;
    segs[0].scrollIntoView({ block: "center" });
    if (found.id && segs[0].tabIndex >= 0) segs[0].focus({ preventScroll: true });
  }

  function init() {
    if (!document.getElementById("text")) return;
    window.addEventListener("hashchange", go);
    go();
    document.body.dataset.viewReady = "true";
  }

  return { init };
})();

document.addEventListener("DOMContentLoaded", () => Position.init());
