/** `GET /`: a small HTML page linking the API documentation and the public scorecards' embed pages. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../schema/contracts/common.ts';
import { getHomePage } from '../services/home-page.ts';
import type { AppDependencies } from '../dependencies.ts';

export const homeRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { db }) => {
  app.get('/', {
    schema: {
      operationId: 'home',
      summary: 'A small page linking the API documentation and the public scorecards',
      tags: ['operations'],
      produces: ['text/html'],
      response: { 200: z.string().meta({ description: 'text/html' }), ...errorResponses() },
    },
    handler: async (_request, reply) => reply.type('text/html; charset=utf-8').send(await getHomePage(db)),
  });
};
