import { DiagnosticError, error, type Range } from './diagnostics.js';

/**
 * A job file's largest value (the evaluator weighs what each expression builds, value-weight.ts): 64 Mi units,
 * six times a 10 MB file read whole, or four million elements.
 */
export const MAX_VALUE_WEIGHT = 64 * 1024 * 1024;

const detail = (weight: number, subject = 'This value') =>
  `${subject} would take about ${megabytes(weight)} MB; a job file's values stay under ${megabytes(MAX_VALUE_WEIGHT)} MB (about four million elements). Nomad would try to build it, with gigabytes, for a job no cluster can take.`;

/**
 * Raised where the value's position is not known (printing a number of 10^70,000,000): whoever knows the position
 * shows it as "Value too large" there; a function call's failure already carries the call's position.
 */
export class ValueTooLargeError extends Error {
  constructor(
    readonly weight: number,
    what: string,
  ) {
    super(detail(weight, what));
  }
}

/** Refuses a string of `length` characters before it is built (past some 512 Mi, JavaScript cannot build it). */
export function checkStringLength(length: number): void {
  if (length > MAX_VALUE_WEIGHT) throw new ValueTooLargeError(length, 'This value');
}

/** out + piece, refused before it grows past what a value may be. */
export function appended(out: string, piece: string): string {
  checkStringLength(out.length + piece.length);
  return out + piece;
}

const megabytes = (weight: number) => Math.round(weight / 1024 / 1024);

/**
 * The evaluator's "Value too large", at `range`; `readWeight`: what the data the evaluation reads weighs (a check's
 * plan), beyond which the value went.
 */
export function refuseValue(range: Range, weight: number, readWeight?: number): never {
  throw new DiagnosticError(
    error(
      range,
      'Value too large',
      readWeight === undefined
        ? detail(weight)
        : `This value would take about ${megabytes(weight)} MB; a check's values stay under ${megabytes(MAX_VALUE_WEIGHT)} MB beyond the plan's own ${megabytes(readWeight)} MB.`,
    ),
  );
}
