import { z } from 'zod';
import { Indicator } from './indicators.ts';
import { Outcome } from './outcomes.ts';
import { Result } from './results.ts';

/** An outcome with everything below it: its sub-outcomes (recursively) and its indicators. */
export type TreeOutcome = Outcome & { outcomes: TreeOutcome[]; indicators: Indicator[] };

export const TreeOutcome: z.ZodType<TreeOutcome> = z
  .lazy(() =>
    z.object({
      ...Outcome.shape,
      outcomes: z.array(TreeOutcome),
      indicators: z.array(Indicator),
    }),
  )
  .meta({ id: 'TreeOutcome' });

export const ResultTree = z
  .object({
    ...Result.shape,
    indicators: z.array(Indicator).meta({ description: 'Headline indicators (hanging on the result itself)' }),
    outcomes: z.array(TreeOutcome),
  })
  .meta({ id: 'ResultTree', description: 'A shared result with its outcomes nested and every indicator' });

export type ResultTree = z.infer<typeof ResultTree>;
