import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../schema/contracts/common.ts';
import { CreatedInvitation, InvitationCreate } from '../../schema/contracts/invitations.ts';
import { invitePerson } from '../services/people.ts';
import { linkBase, type AppDependencies } from '../dependencies.ts';

export const invitationRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db, publicUrl }) => {
  app.post('/invitations', {
    config: { access: { action: 'admin' } },
    schema: {
      operationId: 'createInvitation',
      summary: 'Invite a person to the workspace (administrators)',
      description:
        'Answers a single-use link to /app/invitations/{secret}, valid 7 days, where the person picks a name and password. ' +
        'The link is in this response only; it is stored as a hash.',
      tags: ['access'],
      body: InvitationCreate,
      response: { 201: CreatedInvitation, ...errorResponses(403, 413, 415, 422) },
    },
    handler: async (request, reply) =>
      reply.code(201).send(await invitePerson(db, request.principal, request.body, linkBase(publicUrl, request))),
  });
};
