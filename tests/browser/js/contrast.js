// Colour-contrast probes for the browser tests, injected into a page with add_script_tag.
// axe-core leaves text over pseudo-elements (our step markers) and text inside mermaid SVGs
// "incomplete", so the tests measure those themselves with the WCAG 2.x formula.
(() => {
  if (window.sparkContrast) return;

  // Any CSS colour the browser can compute (rgb(), color(srgb ...), oklab(), color-mix ...)
  // is painted on a 1x1 canvas and read back as 8-bit sRGB with alpha.
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const ctx2d = canvas.getContext("2d", { willReadFrequently: true });
  const cache = new Map();

  function rgba(css) {
    if (!css || css === "none" || css === "transparent") return [0, 0, 0, 0];
    if (cache.has(css)) return cache.get(css);
    ctx2d.clearRect(0, 0, 1, 1);
    ctx2d.fillStyle = "rgba(0, 0, 0, 0)";
    ctx2d.fillStyle = css;
    ctx2d.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx2d.getImageData(0, 0, 1, 1).data;
    const out = [r, g, b, a / 255];
    cache.set(css, out);
    return out;
  }

  // Paint `top` (may be translucent) over an opaque `bottom`.
  function over(top, bottom) {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
  }

  function luminance([r, g, b]) {
    const lin = (c) => {
      c /= 255;
      return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  }

  function ratio(fg, bg) {
    const [l1, l2] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
    return (l1 + 0.05) / (l2 + 0.05);
  }

  const hex = (c) =>
    "#" + c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");

  // The opaque colour behind an element: its own and its ancestors' background colours,
  // composited from the first opaque one upwards (white if nothing is opaque).
  function backgroundOf(el) {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const c = rgba(getComputedStyle(node).backgroundColor);
      if (c[3] > 0) {
        layers.push(c);
        if (c[3] >= 1) break;
      }
    }
    let bg = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  }

  function isLarge(style) {
    const size = parseFloat(style.fontSize);
    const bold = parseInt(style.fontWeight, 10) >= 700;
    return size >= 24 || (bold && size >= 18.66);
  }

  function describe(el) {
    const cls = typeof el.className === "string" ? el.className : el.getAttribute("class") || "";
    return el.tagName.toLowerCase() + (cls ? "." + cls.trim().split(/\s+/).join(".") : "");
  }

  function result(el, fg, bg, large, what) {
    const need = large ? 3 : 4.5;
    const r = ratio(fg, bg);
    return {
      what: what || describe(el),
      text: (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 60),
      fg: hex(fg), bg: hex(bg), ratio: Math.round(r * 100) / 100, need, ok: r >= need,
    };
  }

  function visible(el) {
    if (!el.getClientRects().length) return false;
    const s = getComputedStyle(el);
    return s.visibility !== "hidden" && s.display !== "none" && parseFloat(s.opacity) > 0;
  }

  // Text of an HTML element against the background behind it.
  function text(el) {
    const style = getComputedStyle(el);
    const bg = backgroundOf(el);
    return result(el, over(rgba(style.color), bg), bg, isLarge(style));
  }

  // A ::before / ::after box that draws its own background (the step numbers).
  function pseudo(el, which) {
    const style = getComputedStyle(el, which);
    const behind = backgroundOf(el);
    const bg = over(rgba(style.backgroundColor), behind);
    const fg = over(rgba(style.color), bg);
    return result(el, fg, bg, isLarge(style), describe(el) + which);
  }

  // Every visible element matching `selector` that directly holds text.
  function texts(selector, root) {
    const out = [];
    for (const el of (root || document).querySelectorAll(selector)) {
      if (!visible(el)) continue;
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (own) out.push(text(el));
    }
    return out;
  }

  const SHAPES = new Set(["rect", "path", "polygon", "circle", "ellipse", "polyline"]);

  // The colour painted under the centre of `el` (a label inside an SVG): hit-test the point
  // and walk down the paint stack below the label, taking SVG shape fills and HTML background
  // colours until one is opaque; the SVG's own box and the page behind it close the stack.
  function paintedBehind(el) {
    el.scrollIntoView({ block: "center", inline: "center" });
    const box = el.getBoundingClientRect();
    const svg = el.closest("svg");
    let stack = document.elementsFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    const at = stack.indexOf(el);
    if (at >= 0) stack = stack.slice(at + 1);
    const layers = [];
    const push = (c) => {
      if (c[3] > 0) layers.push(c);
      return c[3] >= 1;
    };
    let done = !(el instanceof SVGElement) && push(rgba(getComputedStyle(el).backgroundColor));
    for (const node of stack) {
      if (done) break;
      if (el.contains(node)) continue;
      if (node === svg || !svg.contains(node)) break;
      const style = getComputedStyle(node);
      if (node instanceof SVGElement) {
        if (!SHAPES.has(node.tagName.toLowerCase())) continue;
        const c = rgba(style.fill);
        c[3] *= parseFloat(style.fillOpacity) * parseFloat(style.opacity);
        done = push(c);
      } else {
        done = push(rgba(style.backgroundColor));
      }
    }
    if (!done) push(backgroundOf(svg));
    let bg = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  }

  // Every label of a rendered mermaid diagram: HTML labels inside <foreignObject> and SVG <text>.
  function mermaid(container) {
    const out = [];
    const svg = container.querySelector("svg");
    if (!svg) return out;
    const html = [...svg.querySelectorAll("foreignObject *")].filter((el) =>
      [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()));
    for (const el of html) {
      if (!visible(el)) continue;
      const style = getComputedStyle(el);
      const bg = paintedBehind(el);
      out.push(result(el, over(rgba(style.color), bg), bg, isLarge(style)));
    }
    // an SVG <text> may colour its <tspan>s differently (sequence diagram actors do)
    const svgText = [...svg.querySelectorAll("text")].flatMap((t) => {
      const spans = [...t.querySelectorAll("tspan")].filter((s) => s.textContent.trim());
      return spans.length ? spans : [t];
    });
    for (const el of svgText) {
      if (!el.textContent.trim() || !el.getClientRects().length) continue;
      const style = getComputedStyle(el);
      if (style.visibility === "hidden" || style.display === "none") continue;
      const bg = paintedBehind(el);
      const fill = rgba(style.fill);
      fill[3] *= parseFloat(style.fillOpacity);
      const owner = el.tagName.toLowerCase() === "tspan" ? el.parentElement : el;
      out.push(result(el, over(fill, bg), bg, isLarge(style), describe(owner)));
    }
    return out;
  }

  window.sparkContrast = { rgba, ratio, backgroundOf, text, texts, pseudo, mermaid };
})();
