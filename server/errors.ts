/**
 * The domain's errors. Repositories and routes throw these; exactly one error handler
 * (plugins/error-handler.ts) turns them into the API's one error shape:
 * `{ error: { code, message, details } }`.
 */

/** One problem with one field of the input; `path` names the field (e.g. `points.3.period`). */
export interface ErrorDetail {
  path: string;
  code: string;
  message: string;
}

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

/** 404: unknown id, or an object the caller may not see (its existence is not revealed). */
export class NotFoundError extends ApiError {
  constructor(resource: string, id: string) {
    super(404, 'not_found', `No ${resource} with id ${id}`, [
      { path: `${resource}Id`, code: 'not_found', message: `${resource} ${id} does not exist` },
    ]);
  }
}

/** 409: the request conflicts with existing data (duplicate slug, things hanging below a delete). */
export class ConflictError extends ApiError {
  constructor(code: string, message: string, details: ErrorDetail[] = []) {
    super(409, code, message, details);
  }
}

/** 412: `If-Match` names a version that is no longer the current one. */
export class VersionMismatchError extends ApiError {
  constructor(
    readonly currentVersion: number,
    expected: string,
  ) {
    super(
      412,
      'version_mismatch',
      `The object changed since you read it: you sent If-Match ${expected}, the current version is ${currentVersion}. Read it again and retry.`,
      [{ path: 'If-Match', code: 'version_mismatch', message: `current version is ${currentVersion}` }],
    );
  }
}

/** 422: well-formed input that cannot be applied (period of the wrong frequency, undeclared dimension…). */
export class UnprocessableError extends ApiError {
  constructor(code: string, message: string, details: ErrorDetail[] = []) {
    super(422, code, message, details);
  }
}

/** 400: malformed input found after schema validation (e.g. a bad `slice` JSON in a query). */
export class BadRequestError extends ApiError {
  constructor(code: string, message: string, details: ErrorDetail[] = []) {
    super(400, code, message, details);
  }
}

/** 401: no token where one is needed, or a token that is malformed, unknown, revoked or expired. */
export class UnauthenticatedError extends ApiError {
  constructor(message = 'This needs a token: send Authorization: Bearer <token>.') {
    super(401, 'unauthenticated', message, [], { 'WWW-Authenticate': 'Bearer realm="rba"' });
  }
}

/** 403: the caller may see the object but not do this to it. */
export class ForbiddenError extends ApiError {
  constructor(message = 'Your token does not allow this.') {
    super(403, 'forbidden', message);
  }
}
