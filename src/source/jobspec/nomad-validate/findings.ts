/**
 * The problems Nomad's Job.Validate would report, each tied to the decoded object it is about (and the field, when
 * one value is at fault), then placed at the value in the file, or at the nearest block the file wrote.
 */
import { error, type Diagnostic, type Range } from '../../hcl/diagnostics.js';
import { fieldRange, wholeRange, type Places } from '../places.js';
import type { Verdict } from '../verdict.js';

export interface Problem {
  /** The objects from the job down to the one at fault. */
  readonly chain: readonly object[];
  /** The fields whose values are at fault, most telling first: the first one the file set is pointed at. */
  readonly fields: readonly string[];
  /** In Nomad's words, as `nomad job validate` prints it. */
  readonly message: string;
  /** The group, task, service… the problem is in, for the reader. */
  readonly where: readonly string[];
  /** Refused by open-source Nomad only: Nomad Enterprise accepts it. */
  readonly enterprise?: boolean;
}

export class Findings {
  private constructor(
    private readonly problems: Problem[],
    private readonly chain: readonly object[],
    private readonly where: readonly string[],
    /** For a value merged from several objects, least specific first: problems go to the one that set the field. */
    private readonly layers: readonly object[] = [],
  ) {}

  static about(job: object): Findings {
    return new Findings([], [job], []);
  }

  /** Findings about a part of this object, named `where` for the reader. */
  in(owner: object | null | undefined, where?: string): Findings {
    return new Findings(
      this.problems,
      owner ? [...this.chain, owner] : this.chain,
      where ? [...this.where, where] : this.where,
    );
  }

  /** Findings about a value Nomad merges from `layers` (a job's update block under a group's), least specific first. */
  over(layers: ReadonlyArray<object | null | undefined>): Findings {
    return new Findings(
      this.problems,
      this.chain,
      this.where,
      layers.filter((l): l is object => !!l),
    );
  }

  /** Nomad refuses the object with `message`, because of the value of `field` (or of one of `field`). */
  add(message: string, field?: string | readonly string[]): void {
    const fields = field === undefined ? [] : typeof field === 'string' ? [field] : field;
    this.problems.push({ chain: this.chainFor(fields), fields, message, where: this.where });
  }

  /** Open-source Nomad refuses the object as unlicensed; Nomad Enterprise runs it. */
  addEnterprise(message: string, field?: string): void {
    const fields = field === undefined ? [] : [field];
    this.problems.push({
      chain: this.chainFor(fields),
      fields,
      message,
      where: this.where,
      enterprise: true,
    });
  }

  private chainFor(fields: readonly string[]): readonly object[] {
    if (this.layers.length === 0) return this.chain;
    for (const field of fields) {
      const setting = this.layers.findLast((l) => (l as Record<string, unknown>)[field] != null);
      if (setting) return [...this.chain, setting];
    }
    return [...this.chain, this.layers.at(-1)!];
  }

  all(): readonly Problem[] {
    return this.problems;
  }
}

/**
 * One diagnostic per problem and place, at the value when the file wrote it. What only open-source Nomad refuses
 * is an error for `nomad job validate`'s verdict and a warning for a server's, which may be Nomad Enterprise's.
 */
export function placeProblems(
  problems: readonly Problem[],
  places: Places,
  fallback: Range,
  verdict: Verdict,
): Diagnostic[] {
  // By place, not by range object: a node may make its range anew each time it is asked for it.
  const seen = new Map<string, Set<string>>();
  const found: Diagnostic[] = [];
  for (const problem of problems) {
    const range = rangeOf(problem, places) ?? fallback;
    const place = `${range.file}:${range.start.offset}:${range.end.offset}`;
    const here = seen.get(place) ?? new Set<string>();
    if (here.has(problem.message)) continue;
    seen.set(place, here.add(problem.message));
    const where = problem.where.length > 0 ? `In ${problem.where.join(', ')}: ` : '';
    if (!problem.enterprise)
      found.push(
        error(range, problem.message, `${where}Nomad refuses this job (nomad job validate says the same).`),
      );
    else if (verdict === 'validate')
      found.push(
        error(
          range,
          problem.message,
          `${where}nomad job validate refuses this job, as open-source Nomad's servers do. Nomad Enterprise accepts it: plan and apply leave this verdict to the cluster's servers.`,
        ),
      );
    else
      found.push({
        severity: 'warning',
        summary: problem.message,
        detail: `${where}this needs Nomad Enterprise; open-source Nomad refuses the job.`,
        range,
      });
  }
  return found;
}

function rangeOf(problem: Problem, places: Places): Range | undefined {
  const [owner] = problem.chain.slice(-1);
  const own = owner && places.get(owner);
  if (own) {
    for (const field of problem.fields) {
      const range = fieldRange(own, field);
      if (range) return range;
    }
    return wholeRange(own);
  }
  for (let i = problem.chain.length - 2; i >= 0; i--) {
    const place = places.get(problem.chain[i]!);
    if (place) return wholeRange(place);
  }
  return undefined;
}
