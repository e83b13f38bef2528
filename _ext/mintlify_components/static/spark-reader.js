/* Reading aids that need the page in a browser (file:// included; no modules, no fetch).
 * 1. A long token (inline code, a dotted task name in an accordion title) may break after
 *    punctuation (_ . / - : = & ? , @ # +): a <wbr> marks each such point, so
 *    AUTOMAGIK_SPARK_API_KEY wraps in a narrow table cell but never mid-word. The copied
 *    text is unchanged (<wbr> has no characters). Code blocks are left alone: they scroll.
 * 2. A code block, table or diagram wider than the column scrolls inside its own box; such a
 *    box gets tabindex=0 so keyboard users can scroll it too (WCAG 2.1.1).
 * 3. The full-size view of a diagram shows it at its natural size.
 * 4. From disk (file://), Sphinx's search lists its results but cannot fetch() the pages for
 *    their excerpts (Chromium refuses it): results show their titles, without an excerpt.
 */
(() => {
  "use strict";
  if (location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
    DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
  }
  const BREAK_AFTER = /([_./\-:=&?,@#+])(?=[^_./\-:=&?,@#+])/g;

  const LONG_TOKEN = /[^\s_./\-:=&?,@#+]{1,}[_./\-:=&?,@#+]\S*/;
  const SKIP = "pre, script, style, textarea, svg, .mermaid, .highlight";
  const softBreaks = (root) => {
    const texts = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) => (node.data.length >= 12 && !node.parentElement.closest(SKIP) &&
        node.data.split(/\s+/).some((t) => t.length >= 12 && LONG_TOKEN.test(t)))
        ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT,
    });
    while (walker.nextNode()) texts.push(walker.currentNode);
    for (const node of texts) {
      const parts = node.data.split(BREAK_AFTER);
      const frag = document.createDocumentFragment();
      for (let i = 0; i < parts.length; i++) {
        if (parts[i]) frag.append(parts[i]);
        if (i % 2 === 1 && i < parts.length - 1) frag.append(document.createElement("wbr"));
      }
      node.replaceWith(frag);
    }
  };

  const SCROLLERS = "article[role=main] :is(pre, .table-wrapper, .mermaid-container > pre.mermaid)";
  const focusScrollers = () => {
    document.querySelectorAll(SCROLLERS).forEach((el) => {
      const scrolls = el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.tabIndex = 0;
        el.dataset.sparkScroll = "1";
      } else if (!scrolls && el.dataset.sparkScroll) {
        el.removeAttribute("tabindex");
        delete el.dataset.sparkScroll;
      }
    });
  };

  let pending = 0;
  const later = () => {
    if (!pending) pending = requestAnimationFrame(() => { pending = 0; focusScrollers(); });
  };

  // The plugin's full-size view strips the SVG's size and stretches it to the screen, which
  // shrinks a large diagram again: give the copy its natural size back (the view scrolls).
  document.addEventListener("click", (e) => {
    if (!e.target.closest(".mermaid-fullscreen-btn")) return;
    const svg = document.querySelector(".mermaid-fullscreen-modal.active svg");
    const box = svg && svg.viewBox.baseVal;
    if (!box || !box.width) return;
    svg.style.setProperty("--spark-natural-width", `${box.width}px`);
    svg.style.setProperty("--spark-natural-height", `${box.height}px`);
  });

  const start = () => {
    const main = document.querySelector("article[role=main]") || document.body;
    softBreaks(main);
    focusScrollers();
    window.addEventListener("resize", later);
    // diagrams are drawn after load, and again on a theme switch
    new MutationObserver(later).observe(main, {childList: true, subtree: true});
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
