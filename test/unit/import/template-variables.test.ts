import { variableReferences } from '../../../src/import/template-variables.js';
import type { Job } from '../../../src/nomad/types.js';

const jobWith = (templates: Array<Record<string, string>>): Job =>
  ({
    ID: 'api',
    Namespace: 'shop',
    TaskGroups: [{ Name: 'web', Tasks: [{ Name: 'app', Templates: templates }] }],
  }) as unknown as Job;

describe('import: the Nomad Variables a job reads', () => {
  it('names the paths Nomad gives the job, its group and its task', () => {
    expect(variableReferences(jobWith([])).paths).toEqual([
      { namespace: 'shop', path: 'nomad/jobs/api' },
      { namespace: 'shop', path: 'nomad/jobs/api/web' },
      { namespace: 'shop', path: 'nomad/jobs/api/web/app' },
    ]);
  });

  it('follows nomadVar paths and nomadVarList prefixes written as literals, in the namespace they name', () => {
    const refs = variableReferences(
      jobWith([
        {
          EmbeddedTmpl: [
            '{{ with nomadVar "app/db" }}{{ .password }}{{ end }}',
            '{{ with nomadVar `app/raw@other` }}{{ end }}',
            '{{ range nomadVarList "app/config" }}{{ .Path }}{{ end }}',
            '{{ range nomadVarListSafe "tls@certs" }}{{ end }}',
            '{{ with nomadVar "far/away@shop.eu" }}{{ end }}',
            '{{ range nomadVarList }}{{ end }}',
          ].join('\n'),
        },
        { EmbeddedTmpl: '[[ range nomadVarList ]][[ end ]]', LeftDelim: '[[', RightDelim: ']]' },
      ]),
    );
    expect(refs.paths.slice(3)).toEqual([
      { namespace: 'shop', path: 'app/db' },
      { namespace: 'other', path: 'app/raw' },
    ]);
    expect(refs.prefixes).toEqual([
      { namespace: 'shop', prefix: 'app/config' },
      { namespace: 'certs', prefix: 'tls' },
      { namespace: 'shop', prefix: '' },
    ]);
    expect(refs.unresolved).toEqual([]);
  });

  it('names the task whose template builds a path at run time', () => {
    const refs = variableReferences(
      jobWith([{ EmbeddedTmpl: '{{ with nomadVar (printf "app/%s" (env "NOMAD_ALLOC_ID")) }}{{ end }}' }]),
    );
    expect(refs.unresolved).toEqual(['web/app']);
    expect(refs.paths).toHaveLength(3);
  });
});
