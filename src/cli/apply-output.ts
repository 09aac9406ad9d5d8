import type { ApplyEvent } from '../apply/apply-plan.js';
import { LiveLines, TransitionLines } from '../render/progress.js';

/** Progress on stdout: live lines on a terminal, timestamped transition lines otherwise (or with CI=true). */
export function progressPrinter(options: { json?: boolean; noColor?: boolean }): (event: ApplyEvent) => void {
  if (options.json) return () => {};
  const live = process.stdout.isTTY && process.env.CI !== 'true' && !options.noColor;
  if (live) {
    const lines = new LiveLines(() => Date.now());
    return (event) => {
      const text = lines.update(event);
      if (text) process.stdout.write(text);
    };
  }
  const transitions = new TransitionLines();
  return (event) => {
    const line = transitions.line(event, new Date());
    if (line) process.stdout.write(`${line}\n`);
  };
}

/** Ctrl-C stops waiting: Nomad carries on, and the summary says where each job stands. */
export function interruptible(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => {
    process.stderr.write('\nStopping: no more jobs will be started; Nomad carries on with what it has.\n');
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
