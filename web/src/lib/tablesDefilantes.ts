import { useEffect } from "react";

/** The elements of the DSFR tables that scroll sideways on a narrow screen. */
const SCROLLERS = ".fr-table > table, .fr-table__wrapper, .fr-table__container";

/**
 * A table wider than the screen scrolls inside its frame; a keyboard user must be able to focus
 * that frame to scroll it (WCAG 2.1.1, axe « scrollable-region-focusable »). Every scrolling table
 * frame of the page — whichever component drew it (react-dsfr's Table, TableDsfr…) — gets
 * tabindex="0" while it scrolls, and loses it when it no longer does (wider window).
 */
export function useTablesDefilantesFocusables() {
  useEffect(() => {
    let frame = 0;
    const update = () => {
      frame = 0;
      for (const el of document.querySelectorAll<HTMLElement>(SCROLLERS)) {
        const scrolls = el.scrollWidth > el.clientWidth + 1;
        if (scrolls && !el.hasAttribute("tabindex")) {
          el.setAttribute("tabindex", "0");
          el.dataset.coopDefile = "";
        } else if (!scrolls && el.dataset.coopDefile !== undefined) {
          el.removeAttribute("tabindex");
          delete el.dataset.coopDefile;
        }
      }
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(update);
    };
    const observer = new MutationObserver(schedule);
    observer.observe(document.body, { childList: true, subtree: true });
    window.addEventListener("resize", schedule);
    schedule();
    return () => {
      observer.disconnect();
      window.removeEventListener("resize", schedule);
      if (frame) cancelAnimationFrame(frame);
    };
  }, []);
}
