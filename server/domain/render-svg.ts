/**
 * Renders a Vega-Lite spec to SVG on the server (no browser, no canvas): vega-lite compiles, Vega renders
 * with the headless renderer. About 100 ms for the first chart and ~20 ms after; callers cache the result.
 * Text widths are estimated without a canvas, so long labels may be shortened with "…" in server SVG.
 */
import type { TopLevelSpec } from 'vega-lite';
import { compile } from 'vega-lite';
import * as vega from 'vega';

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const { spec: vegaSpec } = compile(spec);
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The compiled Vega spec, so browsers need not load the Vega-Lite compiler. */
export function compileToVega(spec: TopLevelSpec): vega.Spec {
  return compile(spec).spec;
}
