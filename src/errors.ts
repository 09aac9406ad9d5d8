/**
 * One error hierarchy for drover. A UserError is something the user can fix (bad input, auth, a stale plan,
 * an unreachable cluster) and carries a hint saying what to do next; anything else that escapes is our bug.
 */
export abstract class DroverError extends Error {
  /** A stable identifier, for --json output and for tests. */
  abstract readonly code: string;
  readonly hint: string | undefined;

  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** The user's input or environment is at fault; exit code 1, no stack trace. */
export class UserError extends DroverError {
  readonly code: string;

  constructor(message: string, options: { code?: string; hint?: string; cause?: unknown } = {}) {
    super(message, options);
    this.code = options.code ?? 'user_error';
  }
}

/** A broken invariant inside drover: printed with "please report this". */
export class InternalError extends DroverError {
  readonly code = 'internal_error';
}

/** The operation was cancelled (Ctrl-C, an AbortSignal). */
export class CancelledError extends DroverError {
  readonly code = 'cancelled';

  constructor(message = 'cancelled') {
    super(message);
  }
}

export function isDroverError(error: unknown): error is DroverError {
  return error instanceof DroverError;
}
