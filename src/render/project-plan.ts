/**
 * A project's plan over several clusters, for people, pull requests and machines: one section per cluster in
 * drover.hcl's order (each the plan drover shows for one Nomad), a cluster that could not be planned named with
 * why, then the totals and the rollout order. A project without cluster blocks is shown as its one plan.
 */
import { planForDisplay, type DisplayPlan } from '../plan/mask.js';
import { ACTIONS, compactPlan, countByAction } from '../plan/model.js';
import {
  countAcross,
  failedParts,
  isPlanned,
  mapPlans,
  plannedParts,
  projectHasChanges,
  rolloutStages,
  type FailedPart,
  type ProjectPlan,
} from '../plan/project-plan.js';
import { paletteFor } from './palette.js';
import { renderPlanHuman, type HumanOptions } from './plan-human.js';
import { renderPlanJson } from './plan-json.js';
import { GITHUB_COMMENT_LIMIT, renderPlanMarkdown } from './plan-markdown.js';

export interface ProjectShowOptions {
  readonly showSensitive: boolean;
  /** A created job by its groups only, not its full spec (--compact). */
  readonly compact?: boolean;
}

/** Each cluster's plan masked (and compacted) once, before any renderer sees it. */
export function projectForDisplay(project: ProjectPlan, options: ProjectShowOptions): DisplayProject {
  return mapPlans(project, (plan) =>
    planForDisplay(options.compact ? compactPlan(plan) : plan, { showSensitive: options.showSensitive }),
  );
}

export type DisplayProject = ProjectPlan<DisplayPlan>;

export function renderProjectHuman(project: DisplayProject, options: HumanOptions): string {
  const palette = paletteFor(options.color);
  const title =
    options.title ??
    (plannedParts(project)[0]?.plan.settings.destroy ? 'drover plan --destroy' : 'drover plan');
  const lines = [`${title} (${scopeOf(project)})`, ''];
  for (const part of project.parts) {
    if (isPlanned(part)) {
      lines.push(renderPlanHuman(part.plan, { ...options, title: `cluster ${part.cluster}` }), '');
    } else {
      const [first, ...rest] = failureLines(part);
      lines.push(palette.boldHue('red')(first!), ...rest.map(palette.hue('red')), '');
    }
  }
  lines.push(totalsLine(project), `Rollout: ${rolloutText(project)}.`);
  return lines.join('\n');
}

export function renderProjectMarkdown(project: DisplayProject, options: { limit?: number } = {}): string {
  const limit = options.limit ?? GITHUB_COMMENT_LIMIT;
  const failed = failedParts(project);
  const counts = countAcross(project);
  // promote and revert count only in the plans of promote and apply --auto-promote: their columns only then.
  const columns = ACTIONS.filter((a) => (a !== 'promote' && a !== 'revert') || counts[a] > 0);
  const stack = plannedParts(project)[0]?.plan.settings.stack;
  const projectFile = plannedParts(project)[0]?.plan.settings.projectFile;
  const head = [
    '### drover plan',
    '',
    `Stack \`${stack ?? '(none)'}\`, clusters ${project.parts.map((p) => `\`${p.cluster}\``).join(', ')}${projectFile ? `, project \`${projectFile}\`` : ''}. Rollout: ${rolloutText(project)}.`,
    '',
    ...(failed.length > 0
      ? [
          '> [!CAUTION]',
          ...failed.map((f) => `> - Cluster \`${f.cluster}\` could not be planned: ${f.failure.message}`),
          '',
        ]
      : []),
    `| cluster | ${columns.map((a) => (a === 'noop' ? 'unchanged' : a)).join(' | ')} |`,
    `|---|${columns.map(() => '---:|').join('')}`,
    ...plannedParts(project).map((part) => {
      const own = countByAction(part.plan);
      return `| \`${part.cluster}\` | ${columns.map((a) => own[a]).join(' | ')} |`;
    }),
    '',
  ].join('\n');
  const footer = `\n${totalsLine(project)}\n`;
  // Each cluster gets an equal share of what is left: one busy cluster cannot crowd out the others.
  const planned = plannedParts(project);
  const share = Math.floor((limit - head.length - footer.length - 100) / Math.max(planned.length, 1));
  const sections = planned.map((part) =>
    renderPlanMarkdown(part.plan, { limit: share, heading: `#### Cluster \`${part.cluster}\`` }),
  );
  return [head, ...sections, footer].join('\n');
}

/** The document `drover plan --json` prints for a project with clusters (schema/plan.schema.json, "clusters"). */
export function renderProjectJson(project: DisplayProject, options: { droverVersion: string }): unknown {
  const counts = countAcross(project);
  return {
    format_version: '2',
    drover_version: options.droverVersion,
    clusters: project.parts.map((part) =>
      isPlanned(part)
        ? {
            name: part.cluster,
            after: part.after,
            plan: renderPlanJson(part.plan, options),
            error: null,
          }
        : {
            name: part.cluster,
            after: part.after,
            plan: null,
            error: {
              message: part.failure.message,
              hint: part.failure.hint ?? null,
              code: part.failure.code,
            },
          },
    ),
    rollout: rolloutStages(project),
    summary: {
      ...Object.fromEntries(ACTIONS.map((a) => [a, counts[a]])),
      has_changes: projectHasChanges(project),
      failed_clusters: failedParts(project).map((f) => f.cluster),
    },
  };
}

function scopeOf(project: ProjectPlan): string {
  const first = plannedParts(project)[0]?.plan.settings;
  const names = project.parts.map((p) => p.cluster);
  return [
    first?.stack ? `stack ${first.stack}` : 'no stack',
    `${names.length} cluster${names.length === 1 ? '' : 's'}: ${names.join(', ')}`,
    ...(first?.projectFile ? [`project ${first.projectFile}`] : []),
  ].join(', ');
}

function failureLines(part: FailedPart): string[] {
  return [
    `cluster ${part.cluster} (${part.address}): not planned`,
    `  ! ${part.failure.message}`,
    ...(part.failure.hint ? [`    ${part.failure.hint}`] : []),
  ];
}

/** "Across 3 clusters: 2 to create, …" over the clusters planned, and those that could not be. */
function totalsLine(project: ProjectPlan): string {
  const counts = countAcross(project);
  const planned = plannedParts(project).length;
  const failed = failedParts(project);
  const parts = ACTIONS.filter(
    (a) => a !== 'noop' && (counts[a] > 0 || ['create', 'update', 'delete'].includes(a)),
  ).map((a) => `${counts[a]} to ${a}`);
  const unchanged = counts.noop ? ` ${counts.noop} unchanged.` : '';
  const missing =
    failed.length > 0
      ? ` ${failed.length} cluster${failed.length === 1 ? '' : 's'} not planned: ${failed.map((f) => f.cluster).join(', ')}.`
      : '';
  return `Across ${planned} cluster${planned === 1 ? '' : 's'}: ${parts.join(', ')}.${unchanged}${missing}`;
}

/** "staging, then prod-eu and prod-us (together)". */
function rolloutText(project: ProjectPlan): string {
  return rolloutStages(project)
    .map((stage) => (stage.length === 1 ? stage[0]! : `${stage.join(' and ')} (together)`))
    .join(', then ');
}
