/**
 * A job spec as a JSON job file (`{"Job": …}`, as `nomad job run` takes .json files): what HCL cannot say (an
 * object or a null in a task's config, numbers past 2^53) JSON says as Nomad holds it.
 */
import { BigFloat } from '../source/hcl/big-float.js';
import { formatNumber } from '../source/hcl/numbers.js';

type Obj = Record<string, unknown>;

/** Stands in for a number JSON.stringify cannot write exactly, until it is put back as its digits. */
const EXACT = '\u0000exact:';

export function jobJson(spec: Obj): string {
  const text = JSON.stringify(
    { Job: spec },
    (_, value: unknown) => (value instanceof BigFloat ? `${EXACT}${formatNumber(value)}` : value),
    2,
  );
  return `${text.replace(/"\\u0000exact:([^"]*)"/g, '$1')}\n`;
}
