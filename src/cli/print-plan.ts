import type { Command } from '@oclif/core/command';
import { planForDisplay } from '../plan/mask.js';
import { compactPlan, type Plan } from '../plan/model.js';
import { onePart, singlePlan, type ProjectPlan } from '../plan/project-plan.js';
import { projectChecksHuman } from '../render/check-results.js';
import { paletteFor } from '../render/palette.js';
import { renderPlanHuman } from '../render/plan-human.js';
import { renderPlanJson } from '../render/plan-json.js';
import { renderPlanMarkdown } from '../render/plan-markdown.js';

export interface PrintOptions {
  readonly json?: boolean;
  readonly markdown?: boolean;
  readonly noColor?: boolean;
  readonly showSensitive?: boolean;
  readonly title?: string;
  /** A created job by its groups only, not its full spec. */
  readonly compact?: boolean;
}

/** Colour only on a terminal, without NO_COLOR or --no-color. */
export function useColor(noColor?: boolean): boolean {
  return !noColor && !process.env.NO_COLOR && Boolean(process.stdout.isTTY);
}

export function printPlan(command: Command, plan: Plan, options: PrintOptions): void {
  const shown = planForDisplay(options.compact ? compactPlan(plan) : plan, {
    showSensitive: options.showSensitive ?? false,
  });
  let text: string;
  if (options.json)
    text = JSON.stringify(renderPlanJson(shown, { droverVersion: command.config.version }), null, 2);
  else if (options.markdown) text = renderPlanMarkdown(shown);
  else text = renderPlanHuman(shown, { color: useColor(options.noColor), title: options.title });
  process.stdout.write(`${text}\n`);
}

/** A project's plan: as one plan without cluster blocks, else grouped by cluster. */
export async function printProjectPlan(
  command: Command,
  project: ProjectPlan,
  options: PrintOptions,
): Promise<void> {
  const single = singlePlan(project);
  if (single) return printPlan(command, single, options);
  const { projectForDisplay, renderProjectHuman, renderProjectJson, renderProjectMarkdown } =
    await import('../render/project-plan.js');
  const shown = projectForDisplay(project, {
    showSensitive: options.showSensitive ?? false,
    compact: options.compact,
  });
  let text: string;
  if (options.json)
    text = JSON.stringify(renderProjectJson(shown, { droverVersion: command.config.version }), null, 2);
  else if (options.markdown) text = renderProjectMarkdown(shown);
  else text = renderProjectHuman(shown, { color: useColor(options.noColor), title: options.title });
  process.stdout.write(`${text}\n`);
}

/**
 * The checks' results alone, for a run that shows no plan (promote) or stopped before showing it (a rollout a
 * check refused): one Nomad's "Checks:" section, or each cluster's. Nothing when no plan has checks.
 */
export function printChecks(plan: Plan | ProjectPlan, options: Pick<PrintOptions, 'noColor'>): void {
  const project = 'parts' in plan ? plan : onePart(plan);
  const lines = projectChecksHuman(project, paletteFor(useColor(options.noColor)));
  if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
}
