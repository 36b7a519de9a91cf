/**
 * The OpenAPI document (`/openapi.json`), generated from the routes' zod schemas, and Swagger UI at
 * `/docs` (its assets are served by this server).
 */
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { finishDocument, type OpenApiDocument } from './openapi-document.ts';

const description = `An open Results-Based Accountability (RBA) indicator tracker.

A cross-sector partnership (an **initiative**) agrees on a population-level **shared result**, breaks it into a
tree of **outcomes**, and tracks **SMART indicators** with time-series **data points**. All paths are under
\`/api/v1\`. Errors always have the shape \`{ "error": { "code", "message", "details": [{ "path", "code", "message" }] } }\`.
Lists take \`limit\` and \`cursor\` and return \`{ items, nextCursor }\`.
Every successful write answers with a header \`RBA-Change-Token\`; send it back (same header name) on later
reads to be answered, by any server instance, from data at least as new as that write.`;

async function openApiPlugin(app: FastifyInstance, options: { version: string }): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'RBA indicator tracker API',
        version: options.version,
        description,
        license: { name: 'MIT', identifier: 'MIT' },
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token: `Authorization: Bearer rba_…`' },
        },
      },
      security: [{}, { bearer: [] }],
      tags: [
        { name: 'initiatives', description: 'Cross-sector partnerships' },
        { name: 'partners', description: 'Organisations in a partnership' },
        { name: 'results', description: 'Shared, population-level results and their tree' },
        { name: 'outcomes', description: 'The tree of contributing conditions under a result' },
        { name: 'indicators', description: 'SMART indicators with baseline and target' },
        { name: 'data points', description: 'Time-series values per period and disaggregation' },
        {
          name: 'data quality',
          description:
            'Validation rules, flags on values, and the list to check before a meeting (docs/data-quality.md)',
        },
        {
          name: 'publication',
          description: 'Review before publication, and small-cell suppression in public outputs (docs/publication.md)',
        },
        { name: 'analysis', description: 'The turn-the-curve engine: analysis, scorecard, SMART check' },
        {
          name: 'accountability',
          description: 'Turn-the-curve reports, action plans, the partnership self-assessment and the field summary',
        },
        { name: 'access', description: 'API tokens and roles' },
        { name: 'dashboards', description: 'Vega-Lite specs, SVG, embed pages and snippets for partner websites' },
        { name: 'operations', description: 'Health and readiness' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: (documentObject) =>
      finishDocument(jsonSchemaTransformObject(documentObject) as OpenApiDocument) as ReturnType<
        typeof jsonSchemaTransformObject
      >,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

export const openApi = fp(openApiPlugin, { name: 'openapi' });
