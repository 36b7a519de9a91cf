/**
 * The partnership self-assessment (`GET /initiatives/{id}/assessment`) and the state of the field
 * (`GET /field`): read the partnerships with only what the caller may see of them, then read their data
 * with their profiles (domain/assessment.ts) — deadlines judged `now`.
 */
import type { z } from 'zod';
import type { FieldSummary, PartnershipAssessment } from '../../schema/contracts/assessment.ts';
import type { Principal } from '../auth/policy.ts';
import { privateScopeOf } from '../auth/visibility.ts';
import { assessPartnership, partnershipFacts, readPartnership } from '../domain/assessment.ts';
import { audienceOf } from '../domain/disclosure.ts';
import { summariseField } from '../domain/field-summary.ts';
import type { Db } from '../dependencies.ts';
import { NotFoundError } from '../errors.ts';
import { loadPartnerships } from '../repositories/assessment.ts';
import { visibleTotals } from './reader-view.ts';

export async function getPartnershipAssessment(
  db: Db,
  initiativeId: string,
  includePrivate: boolean,
  now: Date,
): Promise<z.infer<typeof PartnershipAssessment>> {
  const [loaded] = await loadPartnerships(db, [initiativeId], includePrivate ? [initiativeId] : [], (ids) =>
    visibleTotals(db, ids, () => audienceOf(includePrivate), undefined),
  );
  if (!loaded) throw new NotFoundError('initiative', initiativeId);
  const { facts, indicators } = partnershipFacts(loaded, now);
  return {
    initiativeId,
    name: loaded.initiative.name,
    assessedAt: now.toISOString(),
    ...assessPartnership(facts, now),
    indicators: indicators.map((i) => ({
      id: i.id,
      name: i.name,
      resultId: i.resultId,
      level: i.level,
      quadrant: i.quadrant,
      programName: i.programName,
      owner: i.ownerPartnerId ? { id: i.ownerPartnerId, name: i.ownerPartnerName ?? '' } : null,
      hasTarget: i.hasTarget,
      hasCurveReport: i.hasCurveReport,
      freshness: i.freshness,
    })),
  };
}

/** Every partnership the caller may see: public ones, a token's own, every one for administrators. */
export async function getFieldSummary(db: Db, principal: Principal, now: Date): Promise<z.infer<typeof FieldSummary>> {
  const scope = privateScopeOf(principal);
  const isMember = (initiativeId: string) => scope === 'all' || scope.includes(initiativeId);
  const loaded = await loadPartnerships(db, null, scope, (ids) =>
    visibleTotals(db, ids, (initiativeId) => audienceOf(isMember(initiativeId)), undefined),
  );
  const members = loaded.map((partnership) => {
    const { facts } = partnershipFacts(partnership, now);
    const { initiative } = partnership;
    return {
      id: initiative.id,
      name: initiative.name,
      slug: initiative.slug,
      profile: facts.profile,
      readings: readPartnership(facts, now),
    };
  });
  return { assessedAt: now.toISOString(), ...summariseField(members) };
}
