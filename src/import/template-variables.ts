/**
 * The Nomad Variables a job reads: the paths its templates name to nomadVar, and the prefixes they name to
 * nomadVarList and nomadVarListSafe, as far as they are literal strings (`"path@namespace"` names another
 * namespace; a `.region` suffix another region, left out); and the paths Nomad lets every workload read without
 * a policy, nomad/jobs/<job>, nomad/jobs/<job>/<group>, nomad/jobs/<job>/<group>/<task>.
 */
import type { Job } from '../nomad/types.js';

export interface VariableReferences {
  /** Exact paths, each in its namespace. */
  readonly paths: readonly { readonly namespace: string; readonly path: string }[];
  /** Every variable under these prefixes. */
  readonly prefixes: readonly { readonly namespace: string; readonly prefix: string }[];
  /** Where a template names a variable by an expression import cannot resolve: "group/task". */
  readonly unresolved: readonly string[];
}

type Obj = Record<string, unknown>;
const list = (value: unknown): Obj[] => (Array.isArray(value) ? (value as Obj[]) : []);

/**
 * A call and what follows it: a quoted or raw Go string, the end of the action or pipeline stage (a list without
 * a prefix: every variable), or anything else (an expression).
 */
const calls = (rightDelim: string) =>
  new RegExp(
    `\\bnomadVar(List|ListSafe)?\\b\\s*("(?:[^"\\\\\\n]|\\\\.)*"|\`[^\`]*\`|[|)]|-?\\s*${rightDelim.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})?`,
    'g',
  );

export function variableReferences(job: Job): VariableReferences {
  const namespace = String(job.Namespace ?? 'default');
  const jobId = String(job.ID);
  const paths = new Map<string, { namespace: string; path: string }>();
  const prefixes = new Map<string, { namespace: string; prefix: string }>();
  const unresolved: string[] = [];
  const addPath = (ns: string, path: string) => paths.set(`${ns}\u0000${path}`, { namespace: ns, path });
  addPath(namespace, `nomad/jobs/${jobId}`);
  for (const group of list(job.TaskGroups)) {
    addPath(namespace, `nomad/jobs/${jobId}/${String(group.Name)}`);
    for (const task of list(group.Tasks)) {
      addPath(namespace, `nomad/jobs/${jobId}/${String(group.Name)}/${String(task.Name)}`);
      for (const template of list(task.Templates)) {
        const text = typeof template.EmbeddedTmpl === 'string' ? template.EmbeddedTmpl : '';
        const right =
          typeof template.RightDelim === 'string' && template.RightDelim ? template.RightDelim : '}}';
        for (const match of text.matchAll(calls(right))) {
          const argument = match[2];
          const literal = argument !== undefined && /^["`]/.test(argument);
          const text = literal ? goString(argument) : match[1] && argument !== undefined ? '' : undefined;
          const target = text === undefined ? undefined : splitTarget(text, namespace);
          if (!target) {
            unresolved.push(`${String(group.Name)}/${String(task.Name)}`);
            continue;
          }
          if (target.otherRegion) continue;
          if (match[1])
            prefixes.set(`${target.namespace}\u0000${target.path}`, {
              namespace: target.namespace,
              prefix: target.path,
            });
          else addPath(target.namespace, target.path);
        }
      }
    }
  }
  return {
    paths: [...paths.values()],
    prefixes: [...prefixes.values()],
    unresolved: [...new Set(unresolved)],
  };
}

/** A Go string literal's text: a raw string as it stands, a quoted one with its common escapes read. */
function goString(literal: string): string {
  const inner = literal.slice(1, -1);
  if (literal.startsWith('`')) return inner;
  return inner.replace(/\\(.)/g, (_, ch: string) => ({ n: '\n', t: '\t', r: '\r' })[ch] ?? ch);
}

/** consul-template's `path[@namespace[.region]]`: a variable path holds neither "@" nor ".". */
function splitTarget(
  text: string,
  namespace: string,
): { namespace: string; path: string; otherRegion: boolean } | undefined {
  const match = /^([^@.]*)(?:@([\w-]+))?(?:\.([\w-]+))?$/.exec(text);
  if (!match) return undefined;
  return { path: match[1]!, namespace: match[2] ?? namespace, otherRegion: match[3] !== undefined };
}
