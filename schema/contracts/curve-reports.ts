/**
 * The turn-the-curve report of an indicator: RBA's questions after "how are we doing?" (the curve itself,
 * which the analysis computes) as structured fields — the story behind the curve, the partners with a role
 * to play, what works, and the action plan. Every edit is kept (see the history).
 */
import { z } from 'zod';
import { IndicatorAnalysis } from './analysis.ts';
import { Action } from './actions.ts';
import { FORCE_DIRECTIONS, IDEA_COSTS } from '../vocabulary.ts';
import { AsOfQuery, Text, Timestamp, Uuid } from './common.ts';
import { RevisionAction } from './data-points.ts';
import { INDICATOR_ANALYSIS_EXAMPLE } from './examples.ts';

export const ForceDirection = z.enum(FORCE_DIRECTIONS);
export const IdeaCost = z.enum(IDEA_COSTS);

const Required = (max: number) => Text(max).min(1, 'must not be empty');

const Force = z
  .object({
    description: Required(2000).meta({ example: 'Construction employment collapsed with the housing bust' }),
    direction: ForceDirection.meta({
      description: 'helping: pushes the curve the right way; hindering: holds it back',
    }),
  })
  .strict();

const RolePartner = z
  .object({
    partnerId: Uuid.nullable()
      .optional()
      .meta({ description: 'A partner of the initiative; its name is recorded with the report' }),
    name: Text(300).min(1).optional().meta({
      description:
        "Another organisation with a role to play (or the partner's name, taken from partnerId when omitted)",
    }),
    role: Required(2000).meta({ example: 'Hire pre-apprenticeship graduates into registered apprenticeships' }),
  })
  .strict()
  .refine((p) => (p.partnerId ?? null) !== null || p.name !== undefined, {
    message: 'name a partner of the initiative (partnerId) or another organisation (name)',
    path: ['name'],
  });

const WhatWorks = z
  .object({
    idea: Required(2000).meta({ example: 'Employer-led pre-apprenticeship with a hiring pledge' }),
    evidence: Text(5000)
      .nullable()
      .optional()
      .meta({ description: 'What shows it works: research, a program evaluation, local experience' }),
    cost: IdeaCost.nullable()
      .optional()
      .meta({ description: 'no_cost, low_cost or higher_cost (RBA asks for low-cost and no-cost ideas too)' }),
  })
  .strict();

const content = {
  story: Text(10_000)
    .nullable()
    .optional()
    .meta({ description: 'The story behind the curve: why it looks the way it does' }),
  forces: z.array(Force).max(100).optional().meta({ description: 'Causes and forces at work, helping or hindering' }),
  partners: z
    .array(RolePartner)
    .max(100)
    .optional()
    .meta({ description: 'Partners with a role to play in turning the curve' }),
  whatWorks: z
    .array(WhatWorks)
    .max(100)
    .optional()
    .meta({ description: 'What works to turn the curve, with its evidence and cost' }),
  actionPlan: Text(10_000).nullable().optional().meta({
    description:
      'What the partners propose to do; the actions themselves are linked to the indicator (GET /indicators/{id}/actions)',
  }),
};

/** PUT: the whole report (omitted fields are empty). PATCH: only the fields sent change. */
export const CurveReportInput = z
  .object(content)
  .strict()
  .meta({ id: 'CurveReportContent', description: 'The fields of a turn-the-curve report' });

const ReportContent = {
  story: z.string().nullable(),
  forces: z.array(z.object({ description: z.string(), direction: ForceDirection })),
  partners: z.array(z.object({ partnerId: Uuid.nullable(), name: z.string(), role: z.string() })),
  whatWorks: z.array(z.object({ idea: z.string(), evidence: z.string().nullable(), cost: IdeaCost.nullable() })),
  actionPlan: z.string().nullable(),
};

export const CurveReport = z
  .object({
    indicatorId: Uuid,
    initiativeId: Uuid,
    version: z
      .number()
      .int()
      .meta({ description: '0 when nothing has been written yet (send If-Match: "0" to create it only if still so)' }),
    ...ReportContent,
    updatedAt: Timestamp.nullable(),
    updatedBy: z.string().nullable().meta({ description: 'The token name that wrote this version' }),
  })
  .meta({
    id: 'CurveReport',
    description: 'The turn-the-curve report of an indicator, as it stands (or stood at asOf)',
  });

export const CurveReportQuery = AsOfQuery;

export const CurveReportHistory = z
  .object({
    indicatorId: Uuid,
    deleted: z.boolean().meta({ description: 'True when the latest revision removed the report' }),
    revisions: z.array(
      z.object({
        action: RevisionAction,
        version: z.number().int(),
        at: Timestamp,
        by: z.string().meta({ description: 'The token name; `hidden` for callers outside the initiative' }),
        how: z.string(),
        changedFields: z
          .array(z.enum(['story', 'forces', 'partners', 'whatWorks', 'actionPlan']))
          .meta({ description: 'What this revision changed' }),
        report: z
          .object(ReportContent)
          .nullable()
          .meta({ description: 'The report as this revision left it (null after a delete)' }),
      }),
    ),
  })
  .meta({
    id: 'CurveReportHistory',
    description: 'Every revision of a turn-the-curve report: who, when, how and what changed',
  });

/** The analysis response with the indicator's turn-the-curve report and the actions on its timeline. */
export const IndicatorAnalysisWithReport = IndicatorAnalysis.extend({
  curveReport: CurveReport.nullable().meta({
    description: 'The turn-the-curve report (as of asOf when given); null when none is written',
  }),
  actions: z.array(Action).meta({
    description: "Actions linked to the indicator that the caller may see, by start date: for the chart's timeline",
  }),
}).meta({
  id: 'IndicatorAnalysisWithReport',
  description:
    "The turn-the-curve analysis of every slice, with the indicator's report and the actions on its timeline",
  examples: [INDICATOR_ANALYSIS_EXAMPLE],
});

export type CurveReportInput = z.infer<typeof CurveReportInput>;
export type CurveReport = z.infer<typeof CurveReport>;
export type CurveReportHistory = z.infer<typeof CurveReportHistory>;
