/* Reading aids that need the page in a browser (file:// included; no modules, no fetch).
 * 1. Inline code may break only after punctuation (_ . / - : = & ? , @ # +): a <wbr> marks
 *    each such point, so AUTOMAGIK_SPARK_API_KEY wraps in a narrow table cell but never
 *    mid-word. The copied text is unchanged (<wbr> has no characters).
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

  const softBreaks = (root) => {
    root.querySelectorAll("code.literal span.pre, code.literal:not(:has(span.pre))").forEach((el) => {
      if (el.dataset.sparkWrap || el.children.length) return;
      const text = el.textContent;
      if (text.length < 12 || !BREAK_AFTER.test(text)) return;
      BREAK_AFTER.lastIndex = 0;
      const parts = text.split(BREAK_AFTER);
      el.textContent = "";
      for (let i = 0; i < parts.length; i++) {
        if (!parts[i]) continue;
        el.append(parts[i]);
        if (i % 2 === 1 && i < parts.length - 1) el.append(document.createElement("wbr"));
      }
      el.dataset.sparkWrap = "1";
    });
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
