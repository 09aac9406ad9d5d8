/**
 * The simulated Nomad client: moves allocations through pending → running → (healthy | complete | failed), writes
 * task events as a real client does (reference §6), writes task logs, and stops allocations on request.
 */
import type { Allocation, Job, TaskState } from '../../src/nomad/types.js';
import type { SimContext } from './context.js';
import { MS, goDuration, taskEvent } from './objects.js';
import { findScript } from './scripts.js';

export interface ClientCallbacks {
  /** The allocation's deployment health was decided (running for min_healthy_time, or not). */
  onHealth(alloc: Allocation, healthy: boolean): void;
  /** The allocation reached a terminal client status. */
  onTerminal(alloc: Allocation): void;
}

type Obj = Record<string, unknown>;

export class ClientRunner {
  private readonly timers = new Map<string, Array<() => void>>();

  constructor(
    private readonly ctx: SimContext,
    private readonly callbacks: ClientCallbacks,
  ) {}

  /** Starts a freshly placed allocation. */
  start(alloc: Allocation): void {
    const tasks = Object.keys(alloc.TaskStates ?? {});
    this.ctx.logs.create(alloc.ID, tasks, this.ctx.clock.now());
    this.later(alloc.ID, this.ctx.timings.allocStartMs, () => this.run(alloc.ID));
  }

  /** Re-arms health checking after an in-place update. */
  restartHealth(alloc: Allocation): void {
    this.clear(alloc.ID);
    if (alloc.ClientStatus === 'running') this.watchHealth(alloc);
  }

  stop(alloc: Allocation): void {
    this.clear(alloc.ID);
    this.later(alloc.ID, this.stopDelay(alloc), () => this.kill(alloc.ID));
  }

  /**
   * A purged job's allocation: gone from the server at once (as in Nomad 2.0.5), its tasks still stopping on
   * the client, where no API shows them.
   */
  forget(alloc: Allocation): void {
    this.clear(alloc.ID);
  }

  /** How long a stop takes: the usual, or the tasks' kill_timeout when a script says they ignore the signal. */
  private stopDelay(alloc: Allocation): number {
    const version = alloc.Job?.Version ?? 0;
    if (!findScript(this.scripts(alloc), ['slow-stop'], version, alloc.TaskGroup ?? ''))
      return this.ctx.timings.stopMs;
    const tasks = this.group(alloc)?.Tasks ?? [];
    return Math.max(...tasks.map((t) => Number(t.KillTimeout ?? 5e9) / 1e6));
  }

  /** Restarts the tasks of a running allocation (POST /v1/client/allocation/:id/restart). */
  restart(alloc: Allocation, task?: string): void {
    this.update(alloc.ID, (a, now) => {
      for (const [name, state] of Object.entries(a.TaskStates ?? {})) {
        if (task && name !== task) continue;
        state.Restarts++;
        state.LastRestart = new Date(now).toISOString();
        push(
          state,
          taskEvent(
            'Restart Signaled',
            now,
            'User requested running tasks to restart',
            { restart_reason: 'User requested running tasks to restart' },
            { RestartReason: 'User requested running tasks to restart' },
          ),
        );
        push(state, taskEvent('Started', now, 'Task started by client'));
      }
    });
  }

  private group(alloc: Allocation) {
    return alloc.Job?.TaskGroups?.find((g) => g.Name === alloc.TaskGroup);
  }

  private scripts(alloc: Allocation) {
    return this.ctx.scripts.get(alloc.JobID ?? '') ?? [];
  }

  private run(id: string): void {
    const alloc = this.ctx.store.allocs.get(id);
    if (!alloc || alloc.DesiredStatus !== 'run') return;
    const version = alloc.Job?.Version ?? 0;
    const failing = findScript(this.scripts(alloc), ['driver-failure'], version, alloc.TaskGroup ?? '');
    if (failing) return this.driverFailure(alloc, failing.task, failing.message, failing.stderr);
    const updated = this.update(id, (a, now) => {
      for (const [name, state] of Object.entries(a.TaskStates ?? {})) {
        push(
          state,
          taskEvent(
            'Task Setup',
            now,
            'Building Task Directory',
            { message: 'Building Task Directory' },
            { Message: 'Building Task Directory' },
          ),
        );
        push(state, taskEvent('Started', now, 'Task started by client'));
        state.State = 'running';
        state.StartedAt = new Date(now).toISOString();
        this.ctx.logs.append(
          a.ID,
          this.ctx.logs.path(name, 'stdout'),
          `${name}: started (simulated ${a.Job?.Type} task, version ${a.Job?.Version})\n`,
          now,
        );
      }
      a.ClientStatus = 'running';
      a.ClientDescription = 'Tasks are running';
    });
    const type = updated.Job?.Type;
    const crash = findScript(this.scripts(updated), ['crash-loop'], version, updated.TaskGroup ?? '');
    if (crash)
      return this.later(id, this.ctx.timings.crashAfterMs, () =>
        this.exit(id, crash.task, crash.exitCode ?? 1, crash.stderr),
      );
    if (type === 'batch' || type === 'sysbatch') {
      const script = findScript(this.scripts(updated), ['exit-code'], version, updated.TaskGroup ?? '');
      return this.later(id, this.ctx.timings.batchRunMs, () =>
        this.exit(id, script?.task, script?.exitCode ?? 0, script?.stderr),
      );
    }
    this.watchHealth(updated);
  }

  private watchHealth(alloc: Allocation): void {
    if (!alloc.DeploymentID) return;
    const update = (this.group(alloc)?.Update ?? {}) as Obj;
    const unhealthy = findScript(
      this.scripts(alloc),
      ['unhealthy'],
      alloc.Job?.Version ?? 0,
      alloc.TaskGroup ?? '',
    );
    if (unhealthy) {
      if (unhealthy.stderr) this.writeStderr(alloc, unhealthy.task, unhealthy.stderr);
      this.later(alloc.ID, Number(update.HealthyDeadline ?? 300e9) / MS, () =>
        this.setHealth(alloc.ID, false),
      );
    } else
      this.later(alloc.ID, Number(update.MinHealthyTime ?? 10e9) / MS, () => this.setHealth(alloc.ID, true));
  }

  private setHealth(id: string, healthy: boolean): void {
    const alloc = this.ctx.store.allocs.get(id);
    if (!alloc || alloc.DesiredStatus !== 'run' || alloc.ClientStatus !== 'running') return;
    this.callbacks.onHealth(alloc, healthy);
  }

  private driverFailure(
    alloc: Allocation,
    task: string | undefined,
    message?: string,
    stderr?: readonly string[],
  ): void {
    const error =
      message ?? 'Failed to pull `example/app:missing`: Error response from daemon: manifest unknown';
    if (stderr) this.writeStderr(alloc, task, stderr);
    const updated = this.update(alloc.ID, (a, now) => {
      for (const [name, state] of Object.entries(a.TaskStates ?? {})) {
        if (task && name !== task) {
          push(
            state,
            taskEvent(
              'Sibling Task Failed',
              now,
              `Task's sibling "${task}" failed`,
              { failed_sibling: task },
              { FailedSibling: task, FailsTask: false },
            ),
          );
        } else {
          push(
            state,
            taskEvent(
              'Driver Failure',
              now,
              error,
              { driver_error: error, fails_task: 'true' },
              { DriverError: error, FailsTask: true },
            ),
          );
          push(
            state,
            taskEvent(
              'Not Restarting',
              now,
              'Error was unrecoverable',
              { restart_reason: 'Error was unrecoverable', fails_task: 'true' },
              { RestartReason: 'Error was unrecoverable', FailsTask: true },
            ),
          );
          state.Failed = true;
        }
        state.State = 'dead';
        state.FinishedAt = new Date(now).toISOString();
      }
      a.ClientStatus = 'failed';
      a.ClientDescription = 'Failed tasks';
    });
    this.callbacks.onTerminal(updated);
  }

  /** A task exits; non-zero codes restart per the restart policy until its attempts run out. */
  private exit(id: string, task: string | undefined, code: number, stderr?: readonly string[]): void {
    const alloc = this.ctx.store.allocs.get(id);
    if (!alloc || alloc.DesiredStatus !== 'run') return;
    if (stderr && code !== 0) this.writeStderr(alloc, task, stderr);
    const policy =
      ((this.group(alloc)?.Tasks?.find((t) => !task || t.Name === task)?.RestartPolicy ?? {}) as Obj) ?? {};
    const attempts = Number(policy.Attempts ?? 2);
    const delayMs = Number(policy.Delay ?? 15e9) / MS;
    let restarting = false;
    const updated = this.update(id, (a, now) => {
      for (const [name, state] of Object.entries(a.TaskStates ?? {})) {
        if (task && name !== task) continue;
        push(
          state,
          taskEvent(
            'Terminated',
            now,
            `Exit Code: ${code}`,
            { exit_code: String(code), signal: '0' },
            { ExitCode: code },
          ),
        );
        if (code === 0) {
          state.State = 'dead';
          state.FinishedAt = new Date(now).toISOString();
          continue;
        }
        if (state.Restarts < attempts) {
          restarting = true;
          const reason = 'Restart within policy';
          push(
            state,
            taskEvent(
              'Restarting',
              now,
              `${reason} - Task restarting in ${goDuration(delayMs * MS)}`,
              { restart_reason: reason, start_delay: String(delayMs * MS) },
              { RestartReason: reason, StartDelay: delayMs * MS },
            ),
          );
          continue;
        }
        const reason = `Exceeded allowed attempts ${attempts} in interval ${goDuration(Number(policy.Interval ?? 1800e9))} and mode is "${policy.Mode ?? 'fail'}"`;
        push(
          state,
          taskEvent(
            'Not Restarting',
            now,
            reason,
            { restart_reason: reason, fails_task: 'true' },
            { RestartReason: reason, FailsTask: true },
          ),
        );
        state.State = 'dead';
        state.Failed = true;
        state.FinishedAt = new Date(now).toISOString();
      }
      const states = Object.values(a.TaskStates ?? {});
      if (states.some((s) => s.State === 'dead' && s.Failed)) {
        a.ClientStatus = 'failed';
        a.ClientDescription = 'Failed tasks';
      } else if (states.every((s) => s.State === 'dead')) {
        a.ClientStatus = 'complete';
        a.ClientDescription = 'All tasks have completed';
      }
    });
    if (restarting) {
      this.later(id, delayMs, () => {
        this.update(id, (a, now) => {
          for (const [name, state] of Object.entries(a.TaskStates ?? {})) {
            if (task && name !== task) continue;
            state.Restarts++;
            state.LastRestart = new Date(now).toISOString();
            push(state, taskEvent('Started', now, 'Task started by client'));
          }
        });
        this.later(id, this.ctx.timings.crashAfterMs, () => this.exit(id, task, code, stderr));
      });
    } else if (updated.ClientStatus === 'failed' || updated.ClientStatus === 'complete')
      this.callbacks.onTerminal(updated);
  }

  private kill(id: string): void {
    const alloc = this.ctx.store.allocs.get(id);
    if (
      !alloc ||
      alloc.ClientStatus === 'complete' ||
      alloc.ClientStatus === 'failed' ||
      alloc.ClientStatus === 'lost'
    )
      return;
    const killTimeout = (name: string) =>
      Number(this.group(alloc)?.Tasks?.find((t) => t.Name === name)?.KillTimeout ?? 5e9);
    const updated = this.update(id, (a, now) => {
      for (const [name, state] of Object.entries(a.TaskStates ?? {})) {
        if (state.State === 'running') {
          push(
            state,
            taskEvent(
              'Killing',
              now,
              `Sent interrupt. Waiting ${goDuration(killTimeout(name))} before force killing`,
              {},
              { KillTimeout: killTimeout(name) },
            ),
          );
          push(state, taskEvent('Terminated', now, 'Exit Code: 0', { exit_code: '0', signal: '0' }));
          push(state, taskEvent('Killed', now, 'Task successfully killed'));
        }
        state.State = 'dead';
        state.FinishedAt = state.FinishedAt ?? new Date(now).toISOString();
      }
      a.ClientStatus = 'complete';
      a.ClientDescription = 'All tasks have completed';
    });
    this.callbacks.onTerminal(updated);
  }

  private writeStderr(alloc: Allocation, task: string | undefined, lines: readonly string[]): void {
    const name = task ?? Object.keys(alloc.TaskStates ?? {})[0] ?? 'task';
    this.ctx.logs.append(
      alloc.ID,
      this.ctx.logs.path(name, 'stderr'),
      lines.map((l) => `${l}\n`).join(''),
      this.ctx.clock.now(),
    );
  }

  /** One client status update: a write with an AllocationUpdated event. */
  private update(id: string, mutate: (alloc: Allocation, nowMs: number) => void): Allocation {
    const { store } = this.ctx;
    const alloc = store.allocs.get(id)!;
    store.write((index) => {
      const now = this.ctx.clock.now();
      const copy: Allocation = structuredClone({ ...alloc, Job: undefined }) as Allocation;
      copy.Job = alloc.Job as Job;
      mutate(copy, now);
      copy.ModifyIndex = index;
      copy.ModifyTime = now * MS;
      store.allocs.set(id, copy);
      return allocWrite(copy, 'AllocationUpdated');
    });
    return store.allocs.get(id)!;
  }

  private later(id: string, ms: number, run: () => void): void {
    const cancel = this.ctx.clock.after(ms, run);
    if (!this.timers.has(id)) this.timers.set(id, []);
    this.timers.get(id)!.push(cancel);
  }

  private clear(id: string): void {
    for (const cancel of this.timers.get(id) ?? []) cancel();
    this.timers.delete(id);
  }
}

function push(state: TaskState, event: ReturnType<typeof taskEvent>): void {
  // Nomad keeps the last 10 events per task.
  state.Events = [...(state.Events ?? []), event].slice(-10);
}

/** The watch keys, tables and event of an allocation write. */
export function allocWrite(alloc: Allocation, type: string) {
  const { Job: _job, ...payload } = alloc;
  return {
    tables: ['allocs', 'job_summary'] as const,
    keys: [
      `alloc:${alloc.ID}`,
      `allocs:${alloc.Namespace}/${alloc.JobID}`,
      `summary:${alloc.Namespace}/${alloc.JobID}`,
      ...(alloc.DeploymentID ? [`deployment-allocs:${alloc.DeploymentID}`] : []),
      ...(alloc.EvalID ? [`eval-allocs:${alloc.EvalID}`] : []),
    ],
    events: [
      {
        Topic: 'Allocation',
        Type: type,
        Key: alloc.ID,
        Namespace: alloc.Namespace ?? 'default',
        FilterKeys: [alloc.JobID ?? '', alloc.DeploymentID ?? ''],
        Payload: { Allocation: payload },
      },
    ],
  };
}
