/**
 * Query strings of the chart routes (`chart.vl.json`, `chart.svg`, `chart.png`): the analysis' level and asOf,
 * the view, and for server-rendered images the width they are laid out at.
 */
import { z } from 'zod';
import { IntervalLevelQuery } from './analysis.ts';

/** The widths a chart is made for, from a small phone to a wide page (server renders accept these). */
export const CHART_WIDTHS = { min: 320, max: 1280, default: 640 } as const;

export const ChartQuery = z.object({
  ...IntervalLevelQuery.shape,
  view: z
    .enum(['total', 'groups'])
    .default('total')
    .meta({ description: '`total`: the turn-the-curve chart; `groups`: one line per group with the equity gaps' }),
});

/** chart.svg and chart.png are laid out at a width: text never scales below its size on a phone. */
export const ImageQuery = z.object({
  ...ChartQuery.shape,
  width: z.coerce
    .number()
    .int()
    .min(CHART_WIDTHS.min)
    .max(CHART_WIDTHS.max)
    .default(CHART_WIDTHS.default)
    .meta({
      description: `Width of the chart in pixels, ${CHART_WIDTHS.min} to ${CHART_WIDTHS.max} (default ${CHART_WIDTHS.default}); the layout adapts (fewer ticks, shorter labels when narrow)`,
    }),
});

export const PngQuery = z.object({
  ...ImageQuery.shape,
  scale: z
    .enum(['1', '2', '3'])
    .default('2')
    .transform(Number)
    .meta({ description: 'Pixels per chart pixel: 1, 2 (default, sharp on slides and high-density screens) or 3' }),
});
