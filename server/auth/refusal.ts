/**
 * The error for an access decision that is not `allow` (auth/policy.ts): 401 without a usable token, 404
 * for an object the caller may not see (its existence is not revealed), 403 for one it may see but not
 * change.
 */
import { ForbiddenError, NotFoundError, UnauthenticatedError, type DomainError } from '../errors.ts';
import type { Decision } from './policy.ts';

/**
 * @example refusal('not_found', { resource: 'result', id }, '…') // NotFoundError: No result with id …
 */
export function refusal(
  decision: Exclude<Decision, 'allow'>,
  object: { resource: string; id: string },
  forbiddenMessage: string,
): DomainError {
  switch (decision) {
    case 'unauthenticated':
      return new UnauthenticatedError();
    case 'not_found':
      return new NotFoundError(object.resource, object.id);
    case 'forbidden':
      return new ForbiddenError(forbiddenMessage);
  }
}
