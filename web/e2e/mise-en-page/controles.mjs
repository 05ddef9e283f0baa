// What a person sees, checked in the page: the page is no wider than the window, no form control
// or label overlaps another, none leaves the screen. `geometrie` runs in the browser
// (page.evaluate) and returns the problems as French sentences.

/**
 * Runs inside the page. Only what is on screen counts: hidden, visually-hidden (fr-sr-only),
 * folded (closed <details>, closed dialogs, collapsed DSFR menus: clipped to nothing by an
 * ancestor) and transparent elements (DSFR's native checkboxes and radios) are left out.
 */
export function geometrie() {
  const vw = document.documentElement.clientWidth;
  const found = [];
  const docWidth = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
  const label = e => {
    const text = (e.innerText || e.value || e.getAttribute("aria-label") || e.getAttribute("name") || "").trim().replace(/\s+/g, " ").slice(0, 40);
    return `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ""}${text ? ` « ${text} »` : ""}`;
  };
  // Scrollable ancestors (tables in a wrapper that scrolls) may hold wider content.
  const scrolls = e => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if ((s.overflowX === "auto" || s.overflowX === "scroll") && p.scrollWidth > p.clientWidth + 1) return true;
    }
    return false;
  };
  // The part of an element not clipped away by its ancestors (overflow ≠ visible).
  const visibleRect = e => {
    const r = e.getBoundingClientRect();
    let { left, top, right, bottom } = r;
    for (let p = e.parentElement; p && p !== document.documentElement; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.display === "contents") continue;
      const clipX = s.overflowX !== "visible", clipY = s.overflowY !== "visible";
      if (!clipX && !clipY) continue;
      const q = p.getBoundingClientRect();
      if (clipX) { left = Math.max(left, q.left); right = Math.min(right, q.right); }
      if (clipY) { top = Math.max(top, q.top); bottom = Math.min(bottom, q.bottom); }
      if (s.position === "fixed") break;
    }
    return { left, top, right, bottom, width: right - left, height: bottom - top };
  };

  if (docWidth > vw + 1) {
    // Name the elements that stick out while their parent does not: the causes.
    const out = [...document.body.querySelectorAll("*")]
      .filter(e => {
        const r = e.getBoundingClientRect();
        const p = e.parentElement?.getBoundingClientRect();
        return r.right > vw + 1 && r.width > 0 && (!p || p.right <= vw + 1) && !scrolls(e) && getComputedStyle(e).position !== "fixed";
      })
      .slice(0, 3)
      .map(e => `${label(e)}${typeof e.className === "string" && e.className.trim() ? `.${e.className.trim().split(/\s+/).join(".")}` : ""} (bord droit ${Math.round(e.getBoundingClientRect().right)} px)`);
    found.push(`débordement horizontal : la page fait ${docWidth} px pour une fenêtre de ${vw} px${out.length ? ` ; dépassent : ${out.join(", ")}` : ""}`);
  }

  const SEL = "input:not([type=hidden]), select, textarea, button, label, .fr-btn, .fr-tag, a.fr-link";
  const els = [];
  for (const e of document.querySelectorAll(SEL)) {
    if (e.closest("[aria-hidden=true], .fr-sr-only, dialog:not([open]), [hidden], [inert]")) continue;
    const closed = e.closest("details:not([open])");
    if (closed && !e.closest("summary")) continue;
    if (e.tagName === "LABEL" && !e.innerText.trim()) continue;
    const s = getComputedStyle(e);
    if (s.visibility === "hidden" || s.display === "none" || Number(s.opacity) === 0) continue;
    let faded = false;
    for (let p = e.parentElement; p; p = p.parentElement) if (Number(getComputedStyle(p).opacity) === 0) { faded = true; break; }
    if (faded) continue;
    const r = visibleRect(e);
    if (r.width <= 2 || r.height <= 2) continue;
    els.push([e, r]);
  }
  for (const [e, r] of els) {
    if (scrolls(e)) continue;
    if (r.right > vw + 1) found.push(`${label(e)} sort de l'écran (bord droit à ${Math.round(r.right)} px, fenêtre de ${vw} px)`);
    else if (r.left < -1) found.push(`${label(e)} sort de l'écran (bord gauche à ${Math.round(r.left)} px)`);
  }
  for (let i = 0; i < els.length; i++) {
    for (let j = i + 1; j < els.length; j++) {
      const [a, r] = els[i], [b, s] = els[j];
      if (a.contains(b) || b.contains(a)) continue;
      if (a.tagName === "LABEL" && a.htmlFor && a.htmlFor === b.id) continue;
      if (b.tagName === "LABEL" && b.htmlFor && b.htmlFor === a.id) continue;
      const w = Math.min(r.right, s.right) - Math.max(r.left, s.left);
      const h = Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
      if (w > 3 && h > 3) found.push(`${label(a)} chevauche ${label(b)} (${Math.round(w)}×${Math.round(h)} px)`);
      if (found.length > 60) return found;
    }
  }
  return found;
}
