/// <reference lib="dom" />
/**
 * The readability checks a person would make by looking at a page, as geometry: `readabilityFaults` runs in
 * the browser (playwright's `page.evaluate`) and lists every fault it sees:
 *
 * - `overlap`: two texts whose boxes overlap (SVG texts and HTML text lines alike);
 * - `on-mark`: a chart text drawn on a data point or crossed by a data line or rule;
 * - `outside-svg`: an SVG text outside its SVG's box (cut off when the SVG is shown on its own or clipped);
 * - `outside-screen`: a text left or right of the viewport;
 * - `page-too-wide`: a page wider than the screen (a horizontal scroll bar);
 * - `too-small`: a text rendered smaller than 10 px (SVG text scaled down by its viewBox counts at its
 *   rendered size);
 * - `elided`: a chart text shortened with "…" (a name or a value the reader never gets to see).
 *
 * It must stay self-contained (no imports, no closures over module variables): playwright serialises it.
 */

export interface ReadabilityFault {
  kind: 'overlap' | 'on-mark' | 'outside-svg' | 'outside-screen' | 'page-too-wide' | 'too-small' | 'elided';
  message: string;
}

/** Runs in the page. */
export function readabilityFaults(): ReadabilityFault[] {
  const MIN_FONT_PX = 10;
  const faults: ReadabilityFault[] = [];
  type Box = { left: number; right: number; top: number; bottom: number };
  interface TextBox {
    text: string;
    box: Box;
    svg: SVGSVGElement | null;
    element: Element;
  }

  const hiddenCache = new Map<Element, boolean>();
  const visible = (element: Element): boolean => {
    // checkVisibility also sees a closed <details>'s content (content-visibility: hidden), still laid out.
    if (!element.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
    // The visually-hidden pattern (1 px, clipped) is for screen readers only.
    for (let e: Element | null = element; e; e = e.parentElement) {
      let hidden = hiddenCache.get(e);
      if (hidden === undefined) {
        const style = getComputedStyle(e);
        hidden = style.clip === 'rect(0px, 0px, 0px, 0px)' || style.clipPath === 'inset(50%)';
        hiddenCache.set(e, hidden);
      }
      if (hidden) return false;
    }
    return true;
  };
  const short = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s).replace(/\s+/g, ' ');
  /** The text's em box: the glyph cell minus its line gap, so two lines set solid do not count as overlapping. */
  const core = (rect: DOMRect, fontPx: number): Box => {
    const shrinkY = Math.max(0, (rect.height - fontPx) / 2);
    return { left: rect.left + 1, right: rect.right - 1, top: rect.top + shrinkY, bottom: rect.bottom - shrinkY };
  };
  const intersects = (a: Box, b: Box, slack = 0) =>
    a.left < b.right - slack && b.left < a.right - slack && a.top < b.bottom - slack && b.top < a.bottom - slack;

  const texts: TextBox[] = [];

  // SVG texts, at their rendered size.
  for (const element of Array.from(document.querySelectorAll('svg text'))) {
    const text = (element.textContent ?? '').trim();
    if (!text || !visible(element)) continue;
    const svg = (element as SVGTextElement).ownerSVGElement;
    const rect = element.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0 || rect.right < 0) continue;
    const matrix = (element as SVGGraphicsElement).getScreenCTM();
    const scale = matrix ? Math.hypot(matrix.a, matrix.b) : 1;
    const fontPx = parseFloat(getComputedStyle(element).fontSize) * scale;
    if (fontPx < MIN_FONT_PX - 0.05)
      faults.push({ kind: 'too-small', message: `"${short(text)}" is ${fontPx.toFixed(1)} px` });
    if (/…$/.test(text)) faults.push({ kind: 'elided', message: `"${short(text)}" is cut short` });
    texts.push({ text, box: core(rect, fontPx), svg, element });
  }

  // HTML texts: each line box of each text node.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    const text = (node.textContent ?? '').trim();
    if (!parent || !text || parent.closest('svg, script, style, noscript, template') || !visible(parent)) continue;
    const fontPx = parseFloat(getComputedStyle(parent).fontSize);
    const range = document.createRange();
    range.selectNodeContents(node);
    // A box wholly left of the page is the skip-link pattern (moved into view when focused).
    const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0.5 && r.height > 0.5 && r.right > 0);
    if (rects.length === 0) continue;
    if (fontPx < MIN_FONT_PX - 0.05)
      faults.push({ kind: 'too-small', message: `"${short(text)}" is ${fontPx.toFixed(1)} px` });
    for (const rect of rects) texts.push({ text, box: core(rect, fontPx), svg: null, element: parent });
  }

  // Texts against each other.
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i]!;
      const b = texts[j]!;
      if (a.element === b.element) continue; // lines of one paragraph
      if (intersects(a.box, b.box, 1))
        faults.push({ kind: 'overlap', message: `"${short(a.text)}" overlaps "${short(b.text)}"` });
    }
  }

  // Texts against the screen, their SVG, and the data marks of their SVG.
  const width = document.documentElement.clientWidth || window.innerWidth;
  for (const t of texts) {
    if (t.box.left < -0.5 || t.box.right > width + 0.5)
      faults.push({
        kind: 'outside-screen',
        message: `"${short(t.text)}" spans x ${t.box.left.toFixed(0)}–${t.box.right.toFixed(0)} of a ${width} px screen`,
      });
    if (!t.svg) continue;
    const frame = t.svg.getBoundingClientRect();
    if (
      t.box.left < frame.left - 0.5 ||
      t.box.right > frame.right + 0.5 ||
      t.box.top < frame.top - 0.5 ||
      t.box.bottom > frame.bottom + 0.5
    )
      faults.push({ kind: 'outside-svg', message: `"${short(t.text)}" is outside its SVG` });
  }
  const svgTexts = texts.filter((t) => t.svg !== null && !t.element.closest('.role-axis, .role-legend, .role-title'));
  for (const svg of Array.from(document.querySelectorAll('svg'))) {
    const own = svgTexts.filter((t) => t.svg === svg);
    if (own.length === 0) continue;
    // Data marks only: axes, legends and the chart's background are not in the way of a label.
    const outside = (e: Element) => e.closest('.role-axis, .role-legend, .role-title, .role-frame');
    const points = Array.from(svg.querySelectorAll('.mark-symbol path')).filter((e) => !outside(e) && visible(e));
    const strokes = Array.from(svg.querySelectorAll('.mark-line path, .mark-rule line')).filter(
      (e) => !outside(e) && visible(e),
    ) as SVGGeometryElement[];
    for (const t of own) {
      for (const p of points) {
        const r = p.getBoundingClientRect();
        if (r.width > 0 && intersects(t.box, { left: r.left, right: r.right, top: r.top, bottom: r.bottom }, 1)) {
          faults.push({ kind: 'on-mark', message: `"${short(t.text)}" sits on a data point` });
          break;
        }
      }
      for (const stroke of strokes) {
        const matrix = stroke.getScreenCTM();
        if (!matrix) continue;
        const inverse = matrix.inverse();
        let hit = false;
        // A 7 × 3 grid over the text's box, in the stroke's own coordinates.
        for (let ix = 0; ix < 7 && !hit; ix++) {
          for (let iy = 0; iy < 3 && !hit; iy++) {
            const x = t.box.left + ((t.box.right - t.box.left) * (ix + 0.5)) / 7;
            const y = t.box.top + ((t.box.bottom - t.box.top) * (iy + 0.5)) / 3;
            const local = new DOMPoint(x, y).matrixTransform(inverse);
            hit = stroke.isPointInStroke(local);
          }
        }
        if (hit) {
          faults.push({ kind: 'on-mark', message: `"${short(t.text)}" is crossed by a line` });
          break;
        }
      }
    }
  }

  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth > width + 1)
    faults.push({ kind: 'page-too-wide', message: `the page is ${scrollWidth} px wide on a ${width} px screen` });
  return faults;
}
