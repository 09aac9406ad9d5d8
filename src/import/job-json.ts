/**
 * A job spec as a JSON job file (`{"Job": …}`, as `nomad job run` takes .json files): what HCL cannot say (an
 * object or a null in a task's config, numbers past 2^53) JSON says as Nomad holds it.
 */
type Obj = Record<string, unknown>;

export function jobJson(spec: Obj): string {
  return `${JSON.stringify({ Job: spec }, null, 2)}\n`;
}
