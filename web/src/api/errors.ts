/**
 * The one kind of error the API layer throws, and the one way the viewer turns any failure into words for a person.
 */

/** A failed API call: `status` is the HTTP status (0 when the server could not be reached). */
export class ApiError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/** What went wrong, for a person: the server's `{error}` message for an API call, the message of anything else. */
export function errorMessage(failure: unknown): string {
  if (failure instanceof Error) return failure.message;
  return String(failure);
}

/** True for an API answer 404 (no such bin, no such request). */
export function isNotFound(failure: unknown): boolean {
  return failure instanceof ApiError && failure.status === 404;
}

/** True for an API answer 401: the session is gone, or a token is needed. */
export function isUnauthorized(failure: unknown): boolean {
  return failure instanceof ApiError && failure.status === 401;
}

/** True for an answer that trying again cannot change (a 4xx: not found, refused, invalid). */
export function isFinal(failure: unknown): boolean {
  return failure instanceof ApiError && failure.status >= 400 && failure.status < 500;
}
