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

/** Exit codes of a run stopped by a signal, as shells report them: 128 + the signal's number. */
const SIGNAL_EXIT: Readonly<Record<'SIGINT' | 'SIGTERM', number>> = { SIGINT: 130, SIGTERM: 143 };

/** Ctrl-C (or SIGTERM) stops waiting: Nomad carries on, and the summary says where each job stands. */
export function interruptible(
  notice = 'Stopping: no more jobs will be started; Nomad carries on with what it has.',
): { signal: AbortSignal; exitCode(): number; dispose(): void } {
  const controller = new AbortController();
  let received: 'SIGINT' | 'SIGTERM' = 'SIGINT';
  const on = (name: 'SIGINT' | 'SIGTERM') => () => {
    received = name;
    if (notice) process.stderr.write(`\n${notice}\n`);
    controller.abort();
  };
  const onInt = on('SIGINT');
  const onTerm = on('SIGTERM');
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    exitCode: () => SIGNAL_EXIT[received],
    dispose: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
