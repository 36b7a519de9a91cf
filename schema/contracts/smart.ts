import { z } from 'zod';
import { ATTAINABILITY_WINDOW_RULES, SMART_GRADES, SMART_READINGS } from '../../server/engine/vocabulary.ts';
import { Uuid } from './common.ts';

const Grade = z.enum(SMART_GRADES);
const Criterion = z.object({ status: Grade, reasons: z.array(z.string()) });
const Criteria = z.object({
  specific: Criterion,
  measurable: Criterion,
  attainable: Criterion,
  relevant: Criterion,
  timeBound: Criterion,
});

export const SmartCheckResponse = z
  .object({
    engineVersion: z.string(),
    resultId: Uuid,
    method: z.literal('living_cities_smart'),
    reading: z.enum(SMART_READINGS).meta({ description: 'The partnership-level reading of the result' }),
    readingReason: z.string(),
    result: Criteria,
    indicators: z.array(
      z.object({
        id: z.string().nullable(),
        name: z.string(),
        isHeadline: z.boolean(),
        criteria: Criteria,
        attainability: z.object({
          horizonYears: z.number().nullable(),
          requiredRate: z.number().nullable(),
          requiredImprovement: z.number().nullable(),
          bestImprovement: z.number().nullable(),
          bestWindow: z
            .object({ from: z.string(), to: z.string(), years: z.number(), improvementRate: z.number() })
            .nullable(),
          windowRule: z.enum(ATTAINABILITY_WINDOW_RULES).nullable(),
          windowsConsidered: z.number().int(),
          ratio: z.number().nullable(),
        }),
      }),
    ),
  })
  .meta({
    id: 'SmartCheck',
    description: "The SMART check of a shared result and of each of its indicators (Living Cities' components)",
  });
