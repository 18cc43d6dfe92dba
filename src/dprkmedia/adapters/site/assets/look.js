/* DPRK–Russia State Media Corpus: how the classroom viewer looks (made by `dprkmedia site`).
 *
 * The underlines (a colour and a pattern per label family, stacked one lane per span), the
 * legend's swatches, where the card goes, and projector mode. site.js uses these; nothing here
 * reads the data or writes text into the page. Colours are applied only when they are "#rrggbb".
 */
"use strict";

const Look = (() => {
  const HEX = /^#[0-9a-fA-F]{6}$/;
  const LANE = 0.2; // em: the height of one underline
  const STEP = 0.3; // em: from one lane to the next

  /* Each pattern as background layers for one lane: [image, width]; the height is the lane's. */
  const PATTERNS = {
    solid: (c) => [[`linear-gradient(${c}, ${c})`, "100%"]],
    dashed: (c) => [[`linear-gradient(90deg, ${c} 0 70%, transparent 70%)`, "0.8em"]],
    dotted: (c) => [[`linear-gradient(90deg, ${c} 0 45%, transparent 45%)`, "0.4em"]],
    dashdot: (c) => [[`linear-gradient(90deg, ${c} 0 50%, transparent 50% 65%, ${c} 65% 78%, transparent 78%)`, "1.2em"]],
    double: (c) => [[`linear-gradient(${c} 0 35%, transparent 35% 65%, ${c} 65%)`, "100%"]],
    hatched: (c) => [[`linear-gradient(115deg, transparent 0 30%, ${c} 30% 70%, transparent 70%)`, "0.32em"]],
  };
  /* In forced-colours mode the gradients are dropped: the underline is text-decoration, in a style per family. */
  const FORCED_STYLE = { solid: "solid", dashed: "dashed", dotted: "dotted", dashdot: "dashed", double: "double", hatched: "wavy" };

  const safe = (colour) => (HEX.test(colour) ? colour : "#555555");

  /* Background layers for stacked underlines: item i of `lines` ({colour, pattern}) is lane i from the bottom. */
  function stripes(lines) {
    const images = [];
    const sizes = [];
    const positions = [];
    lines.forEach((line, i) => {
      const make = PATTERNS[line.pattern] || PATTERNS.solid;
      for (const [image, width] of make(safe(line.colour))) {
        images.push(image);
        sizes.push(`${width} ${LANE}em`);
        positions.push(`0 calc(100% - ${(i * STEP).toFixed(2)}em)`);
      }
    });
    return {
      image: images.join(", "),
      size: sizes.join(", "),
      position: positions.join(", "),
      padding: lines.length ? `${(lines.length * STEP).toFixed(2)}em` : "",
      forcedStyle: lines.length ? FORCED_STYLE[lines[0].pattern] || "solid" : "",
    };
  }

  /* Paint an element's stacked underlines (or clear them). */
  function underline(node, lines) {
    const s = stripes(lines);
    node.style.setProperty("background-image", s.image || "");
    node.style.setProperty("background-size", s.size || "");
    node.style.setProperty("background-position", s.position || "");
    node.style.setProperty("background-repeat", lines.length ? "repeat-x" : "");
    node.style.setProperty("padding-bottom", s.padding);
    if (s.forcedStyle) node.style.setProperty("--forced-style", s.forcedStyle);
    else node.style.removeProperty("--forced-style");
  }

  /* A legend or card swatch: a block of the colour over a sample of the label's underline. */
  function swatch(node, colour, pattern) {
    const c = safe(colour);
    const line = (PATTERNS[pattern] || PATTERNS.solid)(c)[0];
    node.classList.add("patterned");
    node.style.setProperty("background-image", `linear-gradient(${c}, ${c}), ${line[0]}`);
    node.style.setProperty("background-size", `100% 0.5em, ${line[1]} ${LANE + 0.05}em`);
    node.style.setProperty("background-position", "0 0, 0 100%");
    node.style.setProperty("background-repeat", "no-repeat, repeat-x");
  }

  /* --- the card: below the passage, else above, else beside it, else where there is most room --- */
  function placeCard(card, rect) {
    const margin = 8;
    const gap = 6;
    const vw = document.documentElement.clientWidth;
    const vh = window.innerHeight;
    card.style.removeProperty("max-height");
    card.style.setProperty("left", `${window.scrollX}px`);
    card.style.setProperty("top", `${window.scrollY}px`);
    let w = card.offsetWidth;
    let h = card.offsetHeight;
    const room = {
      below: vh - rect.bottom - gap - margin,
      above: rect.top - gap - margin,
      right: vw - rect.right - gap - margin,
      left: rect.left - gap - margin,
    };
    const clamp = (value, low, high) => Math.max(low, Math.min(value, high));
    let x;
    let y;
    let side = "below";
    if (h <= room.below) {
      y = rect.bottom + gap;
    } else if (h <= room.above) {
      y = rect.top - gap - h;
      side = "above";
    } else if (w <= room.right || w <= room.left) {
      side = w <= room.right ? "right" : "left";
      x = side === "right" ? rect.right + gap : rect.left - gap - w;
      y = clamp(rect.top, margin, vh - margin - h);
    } else {
      side = room.below >= room.above ? "below" : "above";
      card.style.setProperty("max-height", `${Math.max(room[side], 48)}px`);
      h = card.offsetHeight;
      w = card.offsetWidth;
      y = side === "below" ? rect.bottom + gap : rect.top - gap - h;
    }
    if (x === undefined) x = clamp(rect.left, margin, vw - margin - w);
    card.dataset.side = side;
    card.style.setProperty("left", `${x + window.scrollX}px`);
    card.style.setProperty("top", `${y + window.scrollY}px`);
  }

  /* --- projector mode: default on large screens, a toggle everywhere, remembered ---------------- */
  const KEY = "dprkmedia-projector";
  const LARGE = "(min-width: 100em)"; // 1600 px at the browser's default font size
  const WIDE = "(min-width: 70em)"; // room for the legend beside the text

  function stored() {
    try {
      return window.localStorage.getItem(KEY);
    } catch {
      return null; // storage may be off (file: URLs in some browsers, private modes)
    }
  }

  function setProjector(on, remember) {
    document.documentElement.classList.toggle("projector", on);
    const button = document.getElementById("projector");
    if (button) button.setAttribute("aria-pressed", String(on));
    if (remember) {
      try {
        window.localStorage.setItem(KEY, on ? "on" : "off");
      } catch {
        /* not remembered: the toggle still works on this page */
      }
    }
    openLegend();
  }

  /* The legend is open where it stays on screen (beside the text, or in projector mode); collapsed
   * above the text on narrow screens. */
  function openLegend() {
    const box = document.getElementById("legend-box");
    if (!box) return;
    box.open = window.matchMedia(WIDE).matches || document.documentElement.classList.contains("projector");
  }

  function initProjector() {
    const choice = stored();
    const on = choice ? choice === "on" : window.matchMedia(LARGE).matches;
    setProjector(on, false);
    const button = document.getElementById("projector");
    if (button) button.addEventListener("click", () => setProjector(!document.documentElement.classList.contains("projector"), true));
    window.matchMedia(WIDE).addEventListener("change", openLegend);
    window.addEventListener("beforeprint", () => {
      const box = document.getElementById("legend-box");
      if (box) box.open = true; // a handout shows the legend
    });
  }

  return { stripes, underline, swatch, placeCard, initProjector, setProjector };
})();

window.dprkmediaLook = Look;
