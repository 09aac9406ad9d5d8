import { applyPlan, type ApplyEvent } from '../../../src/apply/apply-plan.js';
import type { Plan } from '../../../src/plan/model.js';
import { createLogger } from '../../../src/util/logger.js';
import { drive } from '../../support/drive.js';
import { planWith } from '../../support/plan-env.js';
import { serviceJob, startSimulatedNomad, type SimulatedNomad } from '../../support/simulated-nomad.js';

/** The default watch is the event stream; where it cannot be had or kept, apply goes on with blocking queries. */
describe('applyPlan falls back from the event stream to blocking queries', () => {
  let env: SimulatedNomad;
  afterEach(() => env.close());

  async function apply(plan: Plan, emit: (event: ApplyEvent) => void = () => {}) {
    const warnings: string[] = [];
    const logger = createLogger('warn', (line) => warnings.push(line));
    const result = await drive(env.sim, applyPlan({ client: env.nomad, plan, wait: '10s', logger, emit }), {
      maxSimMs: 3_600_000,
    });
    const streams = env.sim.requests.filter((r) => r.startsWith('GET /v1/event/stream')).length;
    return { result, warnings, streams };
  }

  it('when the stream is refused from the start (a disabled event broker: 200, then silence)', async () => {
    env = await startSimulatedNomad({ eventBroker: false });
    const { result, warnings, streams } = await apply(await planWith(env, [serviceJob('web')]));
    expect(result.results.map((r) => `${r.address.name}: ${r.outcome}`)).toEqual(['web: succeeded']);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^warn: the event stream is unavailable: Nomad sent nothing within 3s of accepting it \(.*event broker disabled.*\); following the jobs with blocking queries instead$/,
      ),
    ]);
    expect(streams).toBe(1);
  });

  it('mid-apply, when the stream is cut and cannot be had again', async () => {
    env = await startSimulatedNomad();
    let cut = false;
    const { result, warnings, streams } = await apply(
      await planWith(env, [serviceJob('web', {}, { Count: 3 })]),
      (event) => {
        if (!cut && event.type === 'watch' && event.event.type === 'deployment') {
          cut = true;
          env.sim.setEventBroker(false);
        }
      },
    );
    expect(cut).toBe(true);
    expect(result.results.map((r) => `${r.address.name}: ${r.outcome}`)).toEqual(['web: succeeded']);
    expect(warnings).toEqual([
      expect.stringMatching(/event stream is unavailable.*blocking queries instead$/),
    ]);
    expect(streams).toBe(2);
  });

  it('when a proxy cuts the stream again and again', async () => {
    env = await startSimulatedNomad();
    env.sim.addFault({ kind: 'cut', path: '^/v1/event/stream', afterMs: 5 });
    const slow = serviceJob('web', {}, { Count: 3, Update: { MaxParallel: 1, MinHealthyTime: 60e9 } });
    const { result, warnings, streams } = await apply(await planWith(env, [slow]));
    expect(result.results.map((r) => `${r.address.name}: ${r.outcome}`)).toEqual(['web: succeeded']);
    expect(warnings).toEqual([
      expect.stringMatching(
        /event stream is unavailable: it was cut 4 times within 60s .*blocking queries instead$/,
      ),
    ]);
    expect(streams).toBe(4);
  });

  it('follows many jobs through one stream request whose size does not grow with their number', async () => {
    env = await startSimulatedNomad();
    const lines: string[] = [];
    const logger = createLogger('debug', (line) => lines.push(line));
    const jobs = Array.from({ length: 120 }, (_, i) =>
      serviceJob(`job-with-a-long-name-${String(i).padStart(4, '0')}`),
    );
    const result = await drive(
      env.sim,
      applyPlan({ client: env.client({ logger }), plan: await planWith(env, jobs), wait: '10s', logger }),
      { maxSimMs: 3_600_000 },
    );
    expect(result.ok).toBe(true);
    const opened = lines.filter((line) => line.includes('/v1/event/stream'));
    expect(opened).toHaveLength(1);
    // The log shows a path of more than 300 characters as its length: this one stays short.
    expect(opened[0]).toMatch(/^debug: GET \/v1\/event\/stream\?\S{0,300} 200 /);
    expect(lines.filter((line) => line.startsWith('warn'))).toEqual([]);
  });
});
