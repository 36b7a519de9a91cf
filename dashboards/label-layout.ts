/**
 * Deterministic placement of the few labels a chart draws on its plot (the final target, the next interim
 * target, the baseline), so that they never overlap each other or the data marks.
 *
 * Why it can be decided in the builder: the y scale's domain is fixed by the builder ({@link plotDomain}) and the
 * plot's height is fixed, so every value's vertical position in pixels is known exactly. The width is not (a
 * page may give the chart any width from 320 px), so horizontal positions are checked at the narrowest width
 * the chart is made for: a label is a fixed number of pixels wide, so at a wider width it covers a shorter
 * stretch of time, and what it clears at the narrowest width it clears at every width.
 *
 * Pure functions; no I/O.
 */

/** A plot's geometry: x in milliseconds (UTC), y in the indicator's unit. */
export interface PlotFrame {
  /** Plot height in pixels. */
  height: number;
  /** The narrowest plot width, in pixels, the chart will be drawn at. */
  minWidth: number;
  /** The x scale's padding at both ends, in pixels. */
  xPadding: number;
  xDomain: readonly [number, number];
  yDomain: readonly [number, number];
}

/** Something a label must not cover, in data coordinates; `radius` and `halfWidth` are in pixels. */
export type Obstacle =
  | { kind: 'point'; x: number; y: number; radius: number }
  | { kind: 'polyline'; points: ReadonlyArray<readonly [number, number]>; halfWidth: number }
  | { kind: 'vertical'; x: number; halfWidth: number }
  /** A band of pixels across the whole plot (e.g. the actions' lane at the bottom). */
  | { kind: 'lane'; top: number; bottom: number };

export interface LabelRequest {
  /** The label's text; used as its key. */
  text: string;
  /**
   * Its forms in order of preference, each a list of lines (default: the text on one line); a shorter form is
   * tried wherever a longer one does not fit, e.g. ['Target 2030: 4.0%'] then ['Target 2030', '4.0%'].
   */
  forms?: string[][];
  /** The point labelled, in data coordinates (x in ms). */
  x: number;
  y: number;
  fontSize: number;
  /** Pixels between the point and the label's near edge. */
  gap: number;
  /** Only beside the point, never moved up or down (a label in a lane kept free for it). */
  fixedRow?: boolean;
}

export interface PlacedLabel {
  text: string;
  /** The form placed: its lines. */
  lines: string[];
  align: 'left' | 'right';
  /** Pixel offsets from the labelled point to the label's anchor (its left or right end, vertical middle). */
  dx: number;
  dy: number;
}

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** Average advance of Source Sans 3 per em, rounded up (digits 0.51, lower case ≈ 0.48, capitals ≈ 0.6). */
const EM_PER_CHARACTER = 0.55;

/**
 * An upper estimate of a label's width in pixels.
 *
 * @example textWidthEstimate('Target 2030: 4.0%', 11) // 17 characters × 11 px × 0.55 ≈ 103
 */
export function textWidthEstimate(text: string, fontSize: number): number {
  return Math.ceil(text.length * fontSize * EM_PER_CHARACTER) + 2;
}

/**
 * A y domain with round ends (steps of 1, 2 or 5 × 10^k, about five of them) that leaves `top` and `bottom`
 * pixels free of data for labels and lanes.
 *
 * @example plotDomain([3.4, 10.1], 320, { top: 18, bottom: 0 }) // [2, 12.05…]: 2 to 12 in 302 px, 18 px above
 */
export function plotDomain(
  values: readonly number[],
  height: number,
  reserve: { top: number; bottom: number },
): [number, number] {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (lo === hi) {
    const pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep((hi - lo) / 5);
  const niceLo = Math.floor(lo / step) * step;
  const niceHi = Math.ceil(hi / step) * step;
  const usable = Math.max(1, height - reserve.top - reserve.bottom);
  const unitsPerPixel = (niceHi - niceLo) / usable;
  return [niceLo - reserve.bottom * unitsPerPixel, niceHi + reserve.top * unitsPerPixel];
}

/** 1, 2 or 5 × 10^k, the smallest not below `raw`. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * power;
}

/**
 * Places each label, in order, at the first free position: beside its point (left of it first when it is in
 * the right half of the plot, else right of it), then further above or below in steps of one line; a position
 * is free when the label is inside the plot and covers no obstacle and no label placed before it. A label with
 * no free position is left out (the legend, tooltips and data table still carry it).
 *
 * @example
 * placeLabels([{ text: 'Target 2030: 4.0%', x: Date.UTC(2030, 0), y: 4, fontSize: 11, gap: 8 }], frame, obstacles)
 * // [{ text: 'Target 2030: 4.0%', align: 'right', dx: -8, dy: 14 }]  (one line below: the forecast runs beside it)
 */
export function placeLabels(
  requests: readonly LabelRequest[],
  frame: PlotFrame,
  obstacles: readonly Obstacle[],
): PlacedLabel[] {
  const px = pixelMapping(frame);
  const placed: Box[] = [];
  const result: PlacedLabel[] = [];
  for (const request of requests) {
    const anchorX = px.x(request.x);
    const anchorY = px.y(request.y);
    const sides: Array<'left' | 'right'> = anchorX > frame.minWidth / 2 ? ['right', 'left'] : ['left', 'right'];
    const lineHeight = request.fontSize + 2;
    const steps = request.fixedRow ? 0 : Math.ceil(frame.height / lineHeight);
    const offsets = [
      0,
      ...Array.from({ length: steps }, (_, i) => [-(i + 1) * lineHeight, (i + 1) * lineHeight]).flat(),
    ];
    search: for (const lines of request.forms ?? [[request.text]]) {
      const width = Math.max(...lines.map((line) => textWidthEstimate(line, request.fontSize)));
      const height = lines.length * lineHeight;
      for (const dy of offsets) {
        for (const align of sides) {
          const dx = align === 'right' ? -request.gap : request.gap;
          const left = align === 'right' ? anchorX + dx - width : anchorX + dx;
          const box = { left, right: left + width, top: anchorY + dy - height / 2, bottom: anchorY + dy + height / 2 };
          if (box.left < 0 || box.right > frame.minWidth || box.top < 0 || box.bottom > frame.height) continue;
          if (placed.some((b) => overlaps(b, box))) continue;
          if (obstacles.some((o) => covers(o, box, px))) continue;
          placed.push(box);
          result.push({ text: request.text, lines, align, dx, dy });
          break search;
        }
      }
    }
  }
  return result;
}

interface PixelMapping {
  x: (ms: number) => number;
  y: (value: number) => number;
}

function pixelMapping(frame: PlotFrame): PixelMapping {
  const [x0, x1] = frame.xDomain;
  const [y0, y1] = frame.yDomain;
  const span = Math.max(1, x1 - x0);
  return {
    x: (ms) => frame.xPadding + ((ms - x0) / span) * (frame.minWidth - 2 * frame.xPadding),
    y: (value) => frame.height - ((value - y0) / (y1 - y0)) * frame.height,
  };
}

function overlaps(a: Box, b: Box): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

function covers(obstacle: Obstacle, box: Box, px: PixelMapping): boolean {
  switch (obstacle.kind) {
    case 'point': {
      const x = px.x(obstacle.x);
      const y = px.y(obstacle.y);
      const r = obstacle.radius;
      return overlaps(box, { left: x - r, right: x + r, top: y - r, bottom: y + r });
    }
    case 'vertical': {
      const x = px.x(obstacle.x);
      return box.left < x + obstacle.halfWidth && x - obstacle.halfWidth < box.right;
    }
    case 'lane':
      return box.top < obstacle.bottom && obstacle.top < box.bottom;
    case 'polyline': {
      const inflated = {
        left: box.left - obstacle.halfWidth,
        right: box.right + obstacle.halfWidth,
        top: box.top - obstacle.halfWidth,
        bottom: box.bottom + obstacle.halfWidth,
      };
      for (let i = 1; i < obstacle.points.length; i++) {
        const [ax, ay] = obstacle.points[i - 1]!;
        const [bx, by] = obstacle.points[i]!;
        if (segmentHitsBox(px.x(ax), px.y(ay), px.x(bx), px.y(by), inflated)) return true;
      }
      return (
        obstacle.points.length === 1 &&
        covers(
          { kind: 'point', x: obstacle.points[0]![0], y: obstacle.points[0]![1], radius: obstacle.halfWidth },
          box,
          px,
        )
      );
    }
  }
}

/** Whether the segment from (ax, ay) to (bx, by) enters the box (Liang–Barsky clipping). */
function segmentHitsBox(ax: number, ay: number, bx: number, by: number, box: Box): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = bx - ax;
  const dy = by - ay;
  const clips: Array<[number, number]> = [
    [-dx, ax - box.left],
    [dx, box.right - ax],
    [-dy, ay - box.top],
    [dy, box.bottom - ay],
  ];
  for (const [p, q] of clips) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const r = q / p;
      if (p < 0) t0 = Math.max(t0, r);
      else t1 = Math.min(t1, r);
      if (t0 > t1) return false;
    }
  }
  return true;
}
