/**
 * The one place where failures become HTTP responses, always in the shape
 * `{ error: { code, message, details: [{ path, code, message }] } }` (README, "Mistakes come back as one error
 * shape"). Domain errors (server/errors.ts) get their status from their kind, and each field they name gets
 * the path the request carried it at (`points.3.period` → `body.points.3.period`). A 500 never leaks
 * internals: the log has the cause, the body a request id to quote.
 */
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import {
  ApiError,
  describeProblems,
  DomainError,
  type DomainErrorKind,
  type ErrorDetail,
  type FieldProblem,
} from '../errors.ts';

/** PostgreSQL SQLSTATE classes and Node socket codes that mean "the database is not reachable now". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);
const RETRY_AFTER_SECONDS = '5';

/** The HTTP status of each kind of domain error. */
const DOMAIN_STATUS: Record<DomainErrorKind, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  version_mismatch: 412,
  too_large: 413,
  unprocessable: 422,
};

/** Headers a kind of domain error always carries. */
const DOMAIN_HEADERS: Partial<Record<DomainErrorKind, Record<string, string>>> = {
  unauthenticated: { 'WWW-Authenticate': 'Bearer realm="rba"' },
};

/** The field names of a route's zod object schema (none for a schema that is not an object, e.g. a CSV body). */
function fieldsOf(schema: unknown): object | null {
  const shape = (schema as { shape?: unknown } | undefined)?.shape;
  return typeof shape === 'object' && shape !== null ? shape : null;
}

/**
 * Where the request carried a field a domain error names: `querystring.` or `body.` before it when the
 * route's schema declares its first segment there; as it is otherwise (`If-Match`, `indicatorId`, `rows.5`).
 *
 * @example requestPath('points.1.period', { body: DataPointsUpsert }) // 'body.points.1.period'
 * @example requestPath('slice', { querystring: DataPointsQuery })     // 'querystring.slice'
 */
export function requestPath(field: string, schema: { querystring?: unknown; body?: unknown } | undefined): string {
  const first = field.split('.', 1)[0]!;
  for (const part of ['querystring', 'body'] as const) {
    const fields = fieldsOf(schema?.[part]);
    if (fields && Object.hasOwn(fields, first)) return `${part}.${field}`;
  }
  return field;
}

/** A domain error as the API answers it: its status, and its problems with the request's paths. */
function domainAnswer(error: DomainError, request: FastifyRequest): { status: number; body: ErrorBody } {
  const schema = request.routeOptions.schema as { querystring?: unknown; body?: unknown } | undefined;
  const details = error.problems.map((p: FieldProblem) => ({
    path: requestPath(p.field, schema),
    code: p.code,
    message: p.message,
    ...(p.severity && { severity: p.severity }),
  }));
  const message =
    error.listProblems > 0
      ? describeProblems(
          error.lead,
          details.map((d) => ({ where: d.path, message: d.message })),
          error.listProblems,
          error.fieldsOnly,
        )
      : error.lead;
  return { status: DOMAIN_STATUS[error.kind], body: body(error.code, message, details) };
}

interface ErrorBody {
  error: { code: string; message: string; details: ErrorDetail[] };
}

/**
 * PostgreSQL data exceptions only a client's value can cause: a NUL character or an unpaired surrogate in
 * text or JSON (22021, 22P05, 22P02 "invalid input syntax for type json"), or a string that is not a valid
 * uuid, number or date reaching a comparison, e.g. from a forged list cursor (22P02, 22007, 22008).
 * Validation should catch them with the field's name; this is the safety net that keeps them from
 * being 500s.
 */
const INVALID_VALUE_CODES = new Set(['22021', '22P05', '22P02', '22007', '22008']);

function body(code: string, message: string, details: ErrorDetail[] = []): ErrorBody {
  return { error: { code, message, details } };
}

export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  const message = (error as { message?: unknown }).message;
  return (
    typeof message === 'string' &&
    /timeout exceeded when trying to connect|Connection terminated|Query read timeout/i.test(message)
  );
}

function validationDetails(error: FastifyError): ErrorDetail[] {
  const where = error.validationContext ?? 'input';
  return (error.validation ?? []).flatMap((issue) => {
    const field = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const path = field ? `${where}.${field}` : where;
    // zod reports unknown keys of a strict object as one issue on the object: name each key instead.
    const keys = (issue.params as { keys?: unknown } | undefined)?.keys;
    if (issue.keyword === 'unrecognized_keys' && Array.isArray(keys) && keys.length > 0) {
      return keys.map((key) => ({
        path: `${path}.${String(key)}`,
        code: issue.keyword,
        message: 'is not a known field',
      }));
    }
    return [{ path, code: issue.keyword, message: issue.message ?? 'is invalid' }];
  });
}

/** Maps Fastify's own content errors (body parsing, limits, media types) to the API's codes. */
const FASTIFY_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: 'body_too_large',
    message: 'The request body is larger than this route accepts.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: 'This route does not accept that Content-Type.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'bad_content_length',
    message: 'Content-Length does not match the body.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'malformed_json',
    message: 'The body is empty but Content-Type says JSON.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed_json', message: 'The body is not valid JSON.' },
};

/** Errors Node's HTTP parser raises before Fastify sees a request, as the status and answer they get. */
const CLIENT_ERRORS: Record<string, { status: number; reason: string; code: string; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    reason: 'Request Timeout',
    code: 'request_timeout',
    message: 'The request did not arrive in time; send it again.',
  },
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    code: 'headers_too_large',
    message: 'The request headers are larger than the server accepts (16 KB).',
  },
};

/**
 * Fastify's `clientErrorHandler`: a request too slow to arrive (408), headers too large (431) or unreadable
 * (400) get the API's one error shape too, written on the socket because no request object exists yet.
 */
export function clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return; // the client left: nobody to answer
  const known = error.code ? CLIENT_ERRORS[error.code] : undefined;
  const { status, reason, code, message } = known ?? {
    status: 400,
    reason: 'Bad Request',
    code: 'bad_request',
    message: 'The request cannot be read as HTTP.',
  };
  this.log.info({ err: error }, `client error: ${code}`);
  const payload = JSON.stringify(body(code, message));
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`,
    );
  socket.destroy(error);
}

/** The client went away (closed the connection, or the server timed it out) before the answer: nobody to tell. */
function clientLeft(request: FastifyRequest): boolean {
  return request.raw.aborted || request.raw.socket?.destroyed === true;
}

async function errorHandlerPlugin(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (clientLeft(request)) {
      // Not the database's fault (an aborted upload raises ECONNRESET "aborted"): logged as what it is.
      request.log.info({ err: error }, 'client aborted the request');
      return reply.code(499 as never).send(body('client_closed_request', 'The client closed the connection.') as never);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = validationDetails(error);
      const summary = details.map((d) => `${d.path}: ${d.message}`).join('; ');
      return reply.code(400).send(body('invalid_input', `The request is not valid. ${summary}`, details));
    }
    if (error instanceof DomainError) {
      for (const [name, value] of Object.entries(DOMAIN_HEADERS[error.kind] ?? {})) reply.header(name, value);
      const answer = domainAnswer(error, request);
      return reply.code(answer.status).send(answer.body);
    }
    if (error instanceof ApiError) {
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      return reply.code(error.statusCode).send(body(error.code, error.message, error.details));
    }
    const known = error.code ? FASTIFY_ERRORS[error.code] : undefined;
    if (known) return reply.code(known.status).send(body(known.code, known.message));
    if (error instanceof SyntaxError && error.statusCode === 400) {
      return reply.code(400).send(body('malformed_json', `The body is not valid JSON: ${error.message}`));
    }
    if (typeof error.code === 'string' && INVALID_VALUE_CODES.has(error.code) && !error.statusCode) {
      request.log.warn({ err: error }, 'a value the database refused reached it past validation');
      return reply
        .code(400)
        .send(
          body(
            'invalid_value',
            'The request contains a value that cannot be stored or compared (for example a NUL character, an unpaired surrogate or a malformed id).',
          ),
        );
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      reply.header('Retry-After', RETRY_AFTER_SECONDS);
      return reply
        .code(503)
        .send(body('database_unavailable', 'The database is not reachable right now; retry shortly.'));
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      // Other client errors Fastify raises itself (e.g. a malformed URL); their messages are safe to show.
      return reply.code(error.statusCode).send(body('bad_request', error.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .code(500)
      .send(
        body('internal_error', `Something went wrong on our side. Quote request id ${request.id} when reporting it.`),
      );
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(body('route_not_found', `No route ${request.method} ${request.url.split('?')[0]}`));
  });
}

export const errorHandler = fp(errorHandlerPlugin, { name: 'error-handler' });
