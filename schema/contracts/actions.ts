/**
 * Actions: the partnership's commitments (who does what, by when, for which curves) and their record of
 * updates. Dates are calendar dates `YYYY-MM-DD`.
 */
import { z } from 'zod';
import { ACTION_STATUSES, ACTION_TIMINGS, ACTION_UPDATE_KINDS } from '../vocabulary.ts';
import { ListQuery, Name, Text, Timestamp, Uuid, Visibility } from './common.ts';

export const ActionStatus = z.enum(ACTION_STATUSES);
export const ActionTiming = z.enum(ACTION_TIMINGS).meta({
  description:
    'on_time / late: done on or before / after the due date; overdue: not done and past due; open: not yet due; dropped',
});

const IsoDate = z.iso.date().meta({ description: 'A calendar date, YYYY-MM-DD', example: '2026-03-31' });

const IndicatorIds = z
  .array(Uuid)
  .max(100)
  .refine((ids) => new Set(ids).size === ids.length, 'indicator ids must be unique')
  .meta({ description: 'The indicators whose curves the action is meant to turn (of the same initiative)' });

const fields = {
  title: Name.meta({ example: 'Employer hiring pledge for pre-apprenticeship graduates' }),
  description: Text(5000).nullable(),
  ownerPartnerId: Uuid.nullable().meta({ description: 'The partner that owns the action (committed to it)' }),
  indicatorIds: IndicatorIds,
  start: IsoDate,
  due: IsoDate,
  status: ActionStatus,
  completedOn: IsoDate.nullable().meta({
    description: 'Done actions only; defaults to today when the status becomes done',
  }),
  quickWin: z.boolean().meta({
    description:
      'Derived: true when due within 90 days of start. May be sent to state the intent; it must then agree with the dates (422 otherwise)',
  }),
  visibility: Visibility.meta({
    description:
      'public (default): shown publicly when the initiative and every linked indicator are public; private: only the partnership sees it',
  }),
};

export const ActionCreate = z
  .object({
    title: fields.title,
    start: fields.start,
    due: fields.due,
    description: fields.description.optional(),
    ownerPartnerId: fields.ownerPartnerId.optional(),
    indicatorIds: fields.indicatorIds.optional(),
    status: fields.status.optional().meta({ description: 'Default planned' }),
    completedOn: fields.completedOn.optional(),
    quickWin: fields.quickWin.optional(),
    visibility: fields.visibility.optional(),
  })
  .strict()
  .meta({ id: 'ActionCreate', description: 'A new commitment: title, start and due dates are required' });

export const ActionPatch = ActionCreate.partial()
  .strict()
  .meta({ id: 'ActionPatch', description: 'The fields to change; every change is recorded' });

export const Action = z
  .object({
    id: Uuid,
    initiativeId: Uuid,
    title: z.string(),
    description: z.string().nullable(),
    ownerPartnerId: Uuid.nullable(),
    ownerPartnerName: z.string().nullable(),
    indicatorIds: z.array(Uuid),
    start: z.string().meta({ description: 'YYYY-MM-DD' }),
    due: z.string().meta({ description: 'YYYY-MM-DD' }),
    status: ActionStatus,
    completedOn: z.string().nullable(),
    quickWin: z.boolean().meta({ description: 'Due within 90 days of start' }),
    timing: ActionTiming,
    overdue: z.boolean().meta({ description: 'Not done, not dropped, and past its due date (judged now)' }),
    daysOverdue: z.number().int().nullable(),
    visibility: Visibility.meta({ description: 'As set' }),
    publiclyVisible: z.boolean().meta({
      description: 'True when anyone may see it: public, in a public initiative, linked only to public indicators',
    }),
    version: z.number().int(),
    createdAt: Timestamp,
    createdBy: z.string(),
    updatedAt: Timestamp,
    updatedBy: z.string(),
  })
  .meta({
    id: 'Action',
    description: 'A commitment of the partnership: who does what, by when, for which curves; with its derived timing',
  });

export const ActionListQuery = z.object({
  ...ListQuery.shape,
  status: ActionStatus.optional().meta({ description: 'Only actions with this status' }),
});

export const ActionUpdateCreate = z
  .object({
    note: Text(5000)
      .min(1, 'must not be empty')
      .meta({ example: 'Twelve employers signed the pledge at the June convening.' }),
    status: ActionStatus.optional().meta({ description: "The action's new status, when this update changes it" }),
    completedOn: IsoDate.optional().meta({ description: 'With status done: the day it was done (default today)' }),
  })
  .strict()
  .meta({ id: 'ActionUpdateCreate', description: 'A progress note, optionally with a new status' });

export const ActionUpdate = z
  .object({
    id: Uuid,
    actionId: Uuid,
    kind: z
      .enum(ACTION_UPDATE_KINDS)
      .meta({ description: 'created: the commitment as first made; edited: a change (see changes); progress: a note' }),
    note: z.string().nullable(),
    changes: z
      .record(z.string(), z.object({ from: z.unknown(), to: z.unknown() }))
      .meta({ description: 'Field → { from, to } for what this update changed' }),
    at: Timestamp,
    by: z.string().meta({ description: 'The token name that made it; `hidden` for callers outside the initiative' }),
  })
  .meta({
    id: 'ActionUpdate',
    description: "An entry of an action's record: its creation, an edit or a progress note",
  });

export type ActionCreate = z.infer<typeof ActionCreate>;
export type ActionPatch = z.infer<typeof ActionPatch>;
export type Action = z.infer<typeof Action>;
export type ActionUpdateCreate = z.infer<typeof ActionUpdateCreate>;
export type ActionUpdate = z.infer<typeof ActionUpdate>;
