/** What `drover import` wrote (or, with --dry-run, would write), for the renderers and --json. */
import type { JobFileChoice } from './job-file.js';

export interface ImportedJob {
  readonly namespace: string;
  readonly id: string;
  readonly origin: JobFileChoice['origin'];
  /** Relative to the output directory. */
  readonly file: string;
  readonly varFile?: string;
  /** Fields a plan of the file would change: empty when exact. */
  readonly differing: readonly string[];
  /** Where the job holds secret-looking values (written as they are). */
  readonly secrets: readonly string[];
}

/** The kinds import writes beside jobs, named as their drover.hcl blocks. */
export type EstateKind = 'namespace' | 'node_pool' | 'acl_policy' | 'acl_role' | 'nomad_variable';

/** A kind the token could not (wholly) read: what it needs. */
export interface UnreadKind {
  readonly kind: EstateKind;
  readonly needs: string;
}

export interface ImportedVariable {
  readonly namespace: string;
  readonly path: string;
  /** Item names, each with the input variable that carries its value. Never a value. */
  readonly items: readonly { readonly item: string; readonly input: string }[];
}

export interface ImportResult {
  readonly out: string;
  readonly stack: string;
  readonly stackFrom: 'flag' | 'stamp' | 'directory';
  readonly jobs: readonly ImportedJob[];
  /** Children of periodic and parameterized jobs, left out. */
  readonly children: number;
  readonly namespaces: readonly string[];
  readonly nodePools: readonly string[];
  /** Objects left out: another drover stack manages them (its stamp on them, or its inventory, says so). */
  readonly otherStacks?: ReadonlyArray<{
    readonly kind: EstateKind;
    readonly name: string;
    readonly stack: string;
  }>;
  readonly aclPolicies: readonly string[];
  readonly aclRoles: readonly string[];
  readonly variables: readonly ImportedVariable[];
  /** The var file holding the variables' values (--with-values), relative to the output directory. */
  readonly valuesFile?: string;
  /** Without --with-values: the input variables whose values the user must give before a plan. */
  readonly valuesToSupply: readonly string[];
  /** Objects other than jobs written with a difference from the live one, each with what differs. */
  readonly estateDiffering: readonly string[];
  /** Kinds the token could not read: what is written may lack objects of these kinds. */
  readonly unread: readonly UnreadKind[];
  /** Templates that name a variable by an expression import cannot follow: "namespace/job group/task". */
  readonly unresolvedTemplates: readonly string[];
  /** The kinds --include asked for that the cluster cannot hold (ACLs disabled). */
  readonly notHeld: readonly EstateKind[];
  /** Every file written (or, with --dry-run, that would be), relative to the output directory. */
  readonly files: readonly string[];
  /** Files added to .gitignore because they hold secret-looking values. */
  readonly gitignored: readonly string[];
  readonly dryRun: boolean;
}
