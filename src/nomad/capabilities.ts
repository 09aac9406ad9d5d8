/**
 * The ACL capability a request most likely needs (Nomad's acl/policy.go and the API docs), so a 403 can say
 * what to ask an operator for. First match wins; paths are without the /v1 prefix.
 */
type Capability = string | ((method: string) => string);

const RULES: ReadonlyArray<
  readonly [method: 'GET' | 'WRITE' | 'ANY', pattern: RegExp, capability: Capability]
> = [
  ['GET', /^\/jobs$/, 'list-jobs'],
  ['WRITE', /^\/jobs\/parse$/, 'parse-job'],
  ['WRITE', /^\/jobs$/, 'submit-job'],
  ['WRITE', /^\/job\/.+\/plan$/, 'submit-job (or plan-job)'],
  ['WRITE', /^\/job\/.+\/(dispatch|dispatch\/payload)$/, 'dispatch-job'],
  ['WRITE', /^\/job\/.+\/periodic\/force$/, 'dispatch-job'],
  ['WRITE', /^\/job\/.+\/scale$/, 'scale-job'],
  ['GET', /^\/job\/.+\/scale$/, 'read-job-scaling'],
  ['WRITE', /^\/job\/.+\/revert$/, 'submit-job (or revert-job)'],
  ['WRITE', /^\/job\/.+\/stable$/, 'submit-job (or stable-job)'],
  [
    'ANY',
    /^\/job\/.+$/,
    (method) =>
      method === 'GET' ? 'read-job' : method === 'DELETE' ? 'submit-job (or deregister-job)' : 'submit-job',
  ],
  ['WRITE', /^\/deployment\/promote\//, 'submit-job (or promote-deployment)'],
  ['WRITE', /^\/deployment\/fail\//, 'submit-job (or fail-deployment)'],
  ['WRITE', /^\/deployment\/pause\//, 'submit-job (or pause-deployment)'],
  ['WRITE', /^\/allocation\/.+\/stop$/, 'alloc-lifecycle'],
  ['WRITE', /^\/client\/allocation\/.+\/(restart|signal)$/, 'alloc-lifecycle'],
  ['ANY', /^\/client\/allocation\/.+\/gc$/, 'submit-job (or gc-allocation)'],
  ['GET', /^\/client\/allocation\/.+\/stats$/, 'read-job'],
  ['GET', /^\/client\/fs\/logs\//, 'read-logs'],
  ['GET', /^\/client\/fs\//, 'read-fs'],
  ['GET', /^\/client\/(stats|metadata)$/, 'node:read'],
  ['WRITE', /^\/client\/(metadata|gc)$/, 'node:write'],
  ['ANY', /^\/client\/gc$/, 'node:write'],
  [
    'ANY',
    /^\/var\/.+$/,
    (method) =>
      `variables ${method === 'GET' ? 'read' : method === 'DELETE' ? 'destroy' : 'write'} (on the path, in the namespace's variables block)`,
  ],
  ['GET', /^\/vars$/, "variables list (on the paths, in the namespace's variables block)"],
  ['GET', /^\/namespaces?(\/|$)/, 'a capability in the namespace (any of its namespace rules)'],
  ['WRITE', /^\/namespace(\/|$)/, 'management (only a management token writes namespaces)'],
  ['GET', /^\/node\/pools?(\/|$)/, 'node_pool read (on the pool)'],
  [
    'WRITE',
    /^\/node\/pools?(\/|$)/,
    (method) => `node_pool ${method === 'DELETE' ? 'delete' : 'write'} (on the pool)`,
  ],
  ['GET', /^\/acl\/polic(y|ies)(\/|$)/, 'management (or the policy being linked to the token)'],
  ['GET', /^\/acl\/roles?(\/|$)/, 'management (or the role being linked to the token)'],
  ['WRITE', /^\/acl\/(policy|role)(\/|$)/, 'management (only a management token writes ACL objects)'],
  ['GET', /^\/event\/stream$/, 'read-job (per topic; management for all topics)'],
  ['WRITE', /^\/validate\/job$/, 'read-job'],
  ['GET', /^\/(evaluations?|deployments?|allocations?)(\/|$)/, 'read-job'],
];

export function likelyCapability(method: string, path: string): string | undefined {
  const isGet = method === 'GET';
  for (const [kind, pattern, capability] of RULES) {
    if ((kind === 'GET' && !isGet) || (kind === 'WRITE' && isGet)) continue;
    if (pattern.test(path)) return typeof capability === 'string' ? capability : capability(method);
  }
  return undefined;
}
