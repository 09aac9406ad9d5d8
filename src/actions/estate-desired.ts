/**
 * What drover.hcl (and the files it includes) declares of the estate, as each kind's desired state, and the
 * values of its variables for apply. A project with errors in its estate is refused whole, nothing sent.
 */
import { UserError } from '../errors.js';
import type { DesiredObject, ObjectsDesired } from '../kinds/desired-object.js';
import { valuesOf, type ResolveValues } from '../kinds/variable/change.js';
import type { DesiredState } from '../kinds/registry.js';
import { formatDiagnostic, hasErrors } from '../source/hcl/diagnostics.js';
import type { Declaration, EstateDeclarations } from '../source/estate.js';

export interface EstateDesired {
  readonly desired: Omit<DesiredState, 'job'>;
  /** The items of each declared variable, for apply (never in the plan). */
  readonly resolveValues: ResolveValues;
}

/**
 * Each kind the project declares something of, or every kind when the plan prunes (what the stack owns of a kind
 * it no longer declares is deleted). Nothing of the estate for a part of a project (a job file given alone).
 */
export function estateDesired(
  estate: EstateDeclarations | undefined,
  options: { readonly prune: boolean; readonly partial: boolean },
): EstateDesired {
  if (!estate || options.partial) return { desired: {}, resolveValues: () => undefined };
  const kind = <S>(declared: readonly Declaration<S>[]): ObjectsDesired<S> | undefined =>
    declared.length > 0 || options.prune ? { objects: declared.map(desiredObject) } : undefined;
  const variable = kind(estate.variables);
  const desired = {
    'node-pool': kind(estate.nodePools),
    namespace: kind(estate.namespaces),
    'acl-policy': kind(estate.aclPolicies),
    'acl-role': kind(estate.aclRoles),
    variable,
  };
  return {
    desired: Object.fromEntries(Object.entries(desired).filter(([, d]) => d !== undefined)),
    resolveValues: valuesOf(variable ?? { objects: [] }),
  };
}

function desiredObject<S>(declaration: Declaration<S>): DesiredObject<S> {
  const enterpriseOnly = declaration.enterpriseOnly.map((setting) => setting.name);
  return {
    spec: declaration.spec,
    file: declaration.at,
    ...(enterpriseOnly.length > 0 ? { enterpriseOnly } : {}),
  };
}

/** The estate's errors, each at its position, as one refusal: nothing is sent to Nomad. */
export function refuseInvalidEstate(
  estate: EstateDeclarations | undefined,
  maskPatterns: readonly string[],
  then: string,
): void {
  if (!estate || !hasErrors(estate.diagnostics)) return;
  const errors = estate.diagnostics.filter((d) => d.severity === 'error');
  const text = errors
    .map((d) => formatDiagnostic(d, estate.sources.get(d.range.file), maskPatterns))
    .join('\n');
  throw new UserError(
    `${estate.files[0] ?? 'drover.hcl'} declares the estate with ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was sent to Nomad:\n${text}`,
    {
      code: 'invalid_estate',
      hint: `Fix them (drover validate lists every error), then ${then}.`,
    },
  );
}
