/**
 * The publication workflow of a period (docs/publication.md), as a pure state machine:
 *
 * | action      | from                          | to          | who                     | reason   |
 * |-------------|-------------------------------|-------------|-------------------------|----------|
 * | `submit`    | draft                         | submitted   | whoever may write data  | —        |
 * | `approve`   | submitted                     | approved    | reviewers¹ (four eyes²) | —        |
 * | `publish`   | approved                      | published   | reviewers               | —        |
 * | `send_back` | submitted, approved           | draft       | reviewers               | required |
 * | `retract`   | published                     | retracted   | reviewers               | required |
 * | `reopen`    | approved, published, retracted| draft       | reviewers               | required |
 *
 * ¹ editors of the initiative and administrators (server/auth/policy.ts `decidePublication`).
 * ² with the initiative's `fourEyes`, the person or token that submitted a period may not approve it.
 *
 * Approved and published periods are locked: their values cannot change until the period is reopened. A
 * period reopened after publication keeps its `publishedAt`: the public goes on seeing it as it was published
 * until it is published again (or retracted). A change to the values of a submitted period sends it back to
 * draft (`edit`), so an approval always approves what the reviewer saw.
 */
import type { PublicationAction, PublicationState } from '../../schema/vocabulary.ts';

/** A period's current publication record (a period with none is a draft). */
export interface PublicationRecord {
  state: PublicationState;
  submittedBy: string | null;
  submittedByKey: string | null;
  approvedBy: string | null;
  approvedByKey: string | null;
  publishedAt: Date | null;
}

export const DRAFT: PublicationRecord = {
  state: 'draft',
  submittedBy: null,
  submittedByKey: null,
  approvedBy: null,
  approvedByKey: null,
  publishedAt: null,
};

/** Who acts: the name the history shows and the key the four-eyes rule compares. */
export interface PublicationActor {
  name: string;
  key: string;
}

/** Why a transition cannot happen: `forbidden` (403: who) or `conflict` (409: the state), `unprocessable` (422). */
export interface TransitionRefusal {
  kind: 'forbidden' | 'conflict' | 'unprocessable';
  code: string;
  message: string;
}

/** The states each action may start from. */
const FROM: Record<PublicationAction, readonly PublicationState[]> = {
  submit: ['draft'],
  approve: ['submitted'],
  publish: ['approved'],
  send_back: ['submitted', 'approved'],
  retract: ['published'],
  reopen: ['approved', 'published', 'retracted'],
};

const NEEDS_REASON: ReadonlySet<PublicationAction> = new Set(['send_back', 'retract', 'reopen']);

/** The states in which a period's values may not change. */
export const LOCKED_STATES: readonly PublicationState[] = ['approved', 'published'];

/**
 * The next record of a period, or why the action is refused.
 *
 * @example nextPublication(DRAFT, 'submit', { name: 'Ana', key: 'person:1' }, { fourEyes: true, now })
 *   // { state: 'submitted', submittedBy: 'Ana', submittedByKey: 'person:1', approvedBy: null, …, publishedAt: null }
 * @example nextPublication(submittedByAna, 'approve', { name: 'Ana', key: 'person:1' }, { fourEyes: true, now })
 *   // { kind: 'forbidden', code: 'four_eyes', message: 'Ana submitted this period: someone else must approve it (four eyes).' }
 * @example nextPublication(DRAFT, 'publish', editor, { fourEyes: false, now })
 *   // { kind: 'conflict', code: 'invalid_transition', message: 'A draft period cannot be published: …' }
 */
export function nextPublication(
  current: PublicationRecord,
  action: PublicationAction,
  actor: PublicationActor,
  options: { fourEyes: boolean; now: Date; reason?: string | null | undefined },
): PublicationRecord | TransitionRefusal {
  if (!FROM[action].includes(current.state))
    return {
      kind: 'conflict',
      code: 'invalid_transition',
      message: `A ${current.state} period cannot be ${PAST[action]}: ${action.replace('_', ' ')} applies to ${FROM[action].join(' or ')} periods.`,
    };
  if (NEEDS_REASON.has(action) && !options.reason)
    return {
      kind: 'unprocessable',
      code: 'reason_required',
      message: `Say why (reason): it is kept with the period's history and shown to the partnership.`,
    };
  switch (action) {
    case 'submit':
      return {
        ...DRAFT,
        state: 'submitted',
        publishedAt: current.publishedAt,
        submittedBy: actor.name,
        submittedByKey: actor.key,
      };
    case 'approve':
      if (options.fourEyes && current.submittedByKey === actor.key)
        return {
          kind: 'forbidden',
          code: 'four_eyes',
          message: `${current.submittedBy ?? 'You'} submitted this period: someone else must approve it (four eyes).`,
        };
      return { ...current, state: 'approved', approvedBy: actor.name, approvedByKey: actor.key };
    case 'publish':
      return { ...current, state: 'published', publishedAt: options.now };
    case 'send_back':
      return { ...DRAFT, publishedAt: current.publishedAt };
    case 'retract':
      return { ...DRAFT, state: 'retracted', publishedAt: null };
    case 'reopen':
      return { ...DRAFT, publishedAt: current.publishedAt };
  }
}

/** True when the value is a refusal rather than the next record. */
export function isRefusal(next: PublicationRecord | TransitionRefusal): next is TransitionRefusal {
  return 'kind' in next;
}

const PAST: Record<PublicationAction, string> = {
  submit: 'submitted',
  approve: 'approved',
  publish: 'published',
  send_back: 'sent back',
  retract: 'retracted',
  reopen: 'reopened',
};
