import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FieldSummary, PartnershipAssessment } from '../../schema/contracts/assessment.ts';
import { errorResponses, Uuid } from '../../schema/contracts/common.ts';
import { seesPrivate } from '../auth/visibility.ts';
import { getFieldSummary, getPartnershipAssessment } from '../services/partnership-assessment.ts';
import type { AppDependencies } from '../dependencies.ts';

const tags = ['accountability'];

export const assessmentRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db }) => {
  app.get('/initiatives/:initiativeId/assessment', {
    config: { access: { action: 'read', anchor: { kind: 'initiative', param: 'initiativeId' } } },
    schema: {
      operationId: 'getPartnershipAssessment',
      summary:
        "Partnership self-assessment: the partnership's profile read with what its data say, with tailored feedback",
      description:
        'Reads the profile (formality, stage, work level) with the SMART reading of each shared result, the shares of indicators with owners, targets, fresh data and turn-the-curve reports, the performance measures and the actions; returns feedback in plain words, each item with its reasons. ' +
        'Uses only what the caller may see. Deadlines are judged now. See docs/accountability.md.',
      tags,
      params: z.object({ initiativeId: Uuid }),
      response: { 200: PartnershipAssessment, ...errorResponses(404) },
    },
    handler: async (request) =>
      getPartnershipAssessment(db, request.params.initiativeId, seesPrivate(request), new Date()),
  });

  app.get('/field', {
    config: { access: { action: 'read' } },
    schema: {
      operationId: 'getFieldSummary',
      summary: 'The state of the field: the self-assessment readings of every partnership you may see, summarised',
      description:
        "Counts, shares and cross-tabulations of the partnerships' profiles and readings, and the seed research's findings tested on this field (e.g. the share of informal partnerships among those unsure of their result). " +
        'Anonymous callers see the public partnerships; a token also its own initiative; administrators every one.',
      tags,
      response: { 200: FieldSummary, ...errorResponses() },
    },
    handler: async (request) => getFieldSummary(db, request.principal, new Date()),
  });
};
