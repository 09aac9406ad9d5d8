import { formatDiagnostic } from '../../../src/source/hcl/diagnostics.js';
import { renderJobJson } from '../../../src/source/job-json.js';
import { loadJob } from '../../../src/source/load-job.js';
import { jobFixtures } from '../../support/fixtures.js';

const fixtures = jobFixtures();

describe('job files to API JSON, compared in full with `nomad job run -output`', () => {
  it('has the fixture corpus', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))('%s', (_name, fixture) => {
    const loaded = loadJob(fixture.path, fixture.source, fixture.options);
    const errors = loaded.diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => formatDiagnostic(d, fixture.source));
    expect(errors).toEqual([]);
    expect(renderJobJson(loaded.job!)).toBe(fixture.expected);
  });

  it('keeps the submission Nomad stores: source, simple variable flags, var files', () => {
    const fixture = fixtures.find((f) => f.name === '43-var-sources')!;
    const loaded = loadJob(fixture.path, fixture.source, fixture.options);
    expect(loaded.submission).toEqual({
      Source: fixture.source,
      Format: 'hcl2',
      VariableFlags: {
        from_env: 'from-environment',
        from_file: 'env-loses-to-file',
        undeclared: 'ignored',
        image: 'redis:7',
        tags: '["a", "b"]',
        replicas: '4',
      },
      Variables: 'from_file = "from-var-file"\nreplicas  = 3\n',
    });
  });
});
