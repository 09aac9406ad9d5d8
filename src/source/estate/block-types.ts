/** The blocks that declare the estate in drover.hcl and the files it includes. */
export const ESTATE_BLOCK_TYPES = [
  'namespace',
  'node_pool',
  'acl_policy',
  'acl_role',
  'nomad_variable',
] as const;
export type EstateBlockType = (typeof ESTATE_BLOCK_TYPES)[number];
