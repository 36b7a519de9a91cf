/**
 * The errors of the application, in two families:
 *
 * - **Domain errors** (`DomainError` and its subclasses): what went wrong in the terms of the domain — an
 *   unknown object, a conflict, a rule the input breaks — with each field at fault named by its path inside
 *   the input the caller gave (`points.3.period`, `completedOn`, `slice`). Repositories, domain rules and
 *   services throw these; they know nothing of HTTP.
 * - **`ApiError`**: an answer the HTTP layer itself decides (a media type a route cannot read, a rate
 *   limit), thrown only by plugins and routes.
 *
 * Exactly one place, the error handler (plugins/error-handler.ts), turns both into the API's one error
 * shape `{ error: { code, message, details: [{ path, code, message }] } }`: it picks the status of a domain
 * error from its kind and names each field by where the request carried it (`body.points.3.period`,
 * `querystring.slice`), as its route's schema declares.
 */

/** One problem with one field of the caller's input; `field` is its path inside that input (`points.3.period`). */
export interface FieldProblem {
  field: string;
  code: string;
  message: string;
  /** Data-quality problems only: whether the broken check is an `error` or a `warning` (docs/data-quality.md). */
  severity?: 'error' | 'warning';
}

/** One problem in an HTTP answer; `path` names where the request carried the field (`body.points.3.period`). */
export interface ErrorDetail {
  path: string;
  code: string;
  message: string;
  severity?: 'error' | 'warning';
}

/** What kind of failure a domain error is; the error handler maps each kind to one HTTP status. */
export type DomainErrorKind =
  | 'invalid_input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'version_mismatch'
  | 'too_large'
  | 'unprocessable';

export interface DomainErrorOptions {
  /**
   * The message goes on with the first `listProblems` problems, each as `field: message` (the error handler
   * writes the request's path for each field), and `…` when there are more. 0 (default): the message alone.
   */
  listProblems?: number;
  /** List the fields only, joined by `, ` (`The report names partners outside this initiative: a, b`). */
  fieldsOnly?: boolean;
}

/**
 * `lead` followed by the first `max` problems as `where: message` joined by `; ` (or their `where` only,
 * joined by `, `), and `; …` when there are more.
 *
 * @example describeProblems('The action cannot be saved:', [{ where: 'due', message: 'is before start' }], Infinity)
 *   // 'The action cannot be saved: due: is before start'
 * @example describeProblems('Unknown partners:', [{ where: 'partners.0', message: '…' }, { where: 'partners.2', message: '…' }], Infinity, true)
 *   // 'Unknown partners: partners.0, partners.2'
 */
export function describeProblems(
  lead: string,
  problems: ReadonlyArray<{ where: string; message: string }>,
  max: number,
  fieldsOnly = false,
): string {
  const listed = fieldsOnly
    ? problems
        .slice(0, max)
        .map((p) => p.where)
        .join(', ')
    : problems
        .slice(0, max)
        .map((p) => `${p.where}: ${p.message}`)
        .join('; ');
  return `${lead} ${listed}${problems.length > max ? '; …' : ''}`;
}

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  /** How many problems the message lists, and how (see {@link DomainErrorOptions}). */
  readonly listProblems: number;
  readonly fieldsOnly: boolean;
  constructor(
    readonly code: string,
    /** The message without the listed problems (the error handler appends them with the request's paths). */
    readonly lead: string,
    readonly problems: FieldProblem[] = [],
    options: DomainErrorOptions = {},
  ) {
    const listProblems = options.listProblems ?? 0;
    super(
      listProblems > 0
        ? describeProblems(
            lead,
            problems.map((p) => ({ where: p.field, message: p.message })),
            listProblems,
            options.fieldsOnly,
          )
        : lead,
    );
    this.listProblems = listProblems;
    this.fieldsOnly = options.fieldsOnly ?? false;
  }
}

/** Malformed input found after schema validation (e.g. a bad `slice` JSON in a query, an unreadable file). */
export class BadRequestError extends DomainError {
  override name = 'BadRequestError';
  readonly kind = 'invalid_input';
}

/** No token where one is needed, or a token that is malformed, unknown, revoked or expired. */
export class UnauthenticatedError extends DomainError {
  override name = 'UnauthenticatedError';
  readonly kind = 'unauthenticated';
  constructor(message = 'This needs a token: send Authorization: Bearer <token>.') {
    super('unauthenticated', message);
  }
}

/** The caller may see the object but not do this to it. */
export class ForbiddenError extends DomainError {
  override name = 'ForbiddenError';
  readonly kind = 'forbidden';
  constructor(message = 'Your token does not allow this.', problems: FieldProblem[] = []) {
    super('forbidden', message, problems);
  }
}

/** An unknown id, or an object the caller may not see (its existence is not revealed). */
export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
  readonly kind = 'not_found';
  constructor(resource: string, id: string) {
    super('not_found', `No ${resource} with id ${id}`, [
      { field: `${resource}Id`, code: 'not_found', message: `${resource} ${id} does not exist` },
    ]);
  }
}

/** The request conflicts with existing data (duplicate slug, things hanging below a delete). */
export class ConflictError extends DomainError {
  override name = 'ConflictError';
  readonly kind = 'conflict';
}

/** `If-Match` names a version that is no longer the current one. */
export class VersionMismatchError extends DomainError {
  override name = 'VersionMismatchError';
  readonly kind = 'version_mismatch';
  constructor(
    readonly currentVersion: number,
    expected: string,
  ) {
    super(
      'version_mismatch',
      `The object changed since you read it: you sent If-Match ${expected}, the current version is ${currentVersion}. Read it again and retry.`,
      [{ field: 'If-Match', code: 'version_mismatch', message: `current version is ${currentVersion}` }],
    );
  }
}

/** The input is larger than this use case accepts (a CSV file over the import limit). */
export class TooLargeError extends DomainError {
  override name = 'TooLargeError';
  readonly kind = 'too_large';
}

/** Well-formed input that cannot be applied (period of the wrong frequency, undeclared dimension…). */
export class UnprocessableError extends DomainError {
  override name = 'UnprocessableError';
  readonly kind = 'unprocessable';
}

/** An answer the HTTP layer decides by itself (plugins and routes only): its status, code and message. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
