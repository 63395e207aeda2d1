/**
 * Domain errors carry a code and an HTTP status; one exception filter (http-exception.filter.ts)
 * maps them, Temporal Update refusals and validation errors to JSON responses with a reason.
 */
export class DomainError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 422 | 423 | 429 | 503,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError(404, 'NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'outside your role or area') => new DomainError(403, 'FORBIDDEN', message);
export const conflict = (code: string, message: string) => new DomainError(409, code, message);
export const unprocessable = (code: string, message: string, details?: unknown) => new DomainError(422, code, message, details);
