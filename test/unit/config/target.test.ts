import {
  parseGoBool,
  resolveTargets,
  type Environment,
  type ProjectTarget,
  type Target,
  type TargetFlags,
  type ClusterDeclaration,
} from '../../../src/config/target.js';

const resolve = (flags: TargetFlags, env: Environment, project?: ProjectTarget): Target => {
  const targets = resolveTargets({ flags, env, project });
  expect(targets).toHaveLength(1);
  return targets[0];
};

const PROJECT = 'deploy/drover.hcl';

/** Each string setting: the flag, the variable, drover.hcl's attribute when it has one, and where it lands. */
const STRING_SETTINGS: ReadonlyArray<{
  setting: keyof TargetFlags & string;
  flag: string;
  env: string;
  inProject: boolean;
  read: (t: Target) => { value: string; source: string } | undefined;
}> = [
  { setting: 'token', flag: '--token', env: 'NOMAD_TOKEN', inProject: false, read: (t) => t.token },
  {
    setting: 'namespace',
    flag: '--namespace',
    env: 'NOMAD_NAMESPACE',
    inProject: true,
    read: (t) => t.namespace,
  },
  { setting: 'region', flag: '--region', env: 'NOMAD_REGION', inProject: true, read: (t) => t.region },
  { setting: 'caCert', flag: '--ca-cert', env: 'NOMAD_CACERT', inProject: false, read: (t) => t.tls.caCert },
  { setting: 'caPath', flag: '--ca-path', env: 'NOMAD_CAPATH', inProject: false, read: (t) => t.tls.caPath },
  {
    setting: 'clientCert',
    flag: '--client-cert',
    env: 'NOMAD_CLIENT_CERT',
    inProject: false,
    read: (t) => t.tls.clientCert,
  },
  {
    setting: 'clientKey',
    flag: '--client-key',
    env: 'NOMAD_CLIENT_KEY',
    inProject: false,
    read: (t) => t.tls.clientKey,
  },
  {
    setting: 'tlsServerName',
    flag: '--tls-server-name',
    env: 'NOMAD_TLS_SERVER_NAME',
    inProject: false,
    read: (t) => t.tls.serverName,
  },
];

/** Which layers set the setting (f: flag, e: environment, p: drover.hcl), and the layer that must win. */
const PRECEDENCE: ReadonlyArray<[layers: string, winner: 'flag' | 'env' | 'project' | 'none']> = [
  ['-', 'none'],
  ['p', 'project'],
  ['e', 'env'],
  ['f', 'flag'],
  ['ep', 'env'],
  ['fp', 'flag'],
  ['fe', 'flag'],
  ['fep', 'flag'],
];

describe('resolveTargets: flags > environment (NOMAD_*) > drover.hcl > defaults', () => {
  describe.each(STRING_SETTINGS)('$setting ($flag, $env)', ({ setting, flag, env, inProject, read }) => {
    const rows = PRECEDENCE.filter(([layers]) => inProject || !layers.includes('p'));
    it.each(rows)('set by %s: the %s value, with its source', (layers, winner) => {
      const target = resolve(
        layers.includes('f') ? { [setting]: 'from-flag' } : {},
        layers.includes('e') ? { [env]: 'from-env' } : {},
        layers.includes('p') ? { source: PROJECT, [setting]: 'from-project' } : undefined,
      );
      const expected = {
        flag: { value: 'from-flag', source: flag },
        env: { value: 'from-env', source: env },
        project: { value: 'from-project', source: PROJECT },
        none: undefined,
      }[winner];
      expect(read(target)).toEqual(expected);
    });

    it('takes an empty value for unset, as the Nomad CLI does', () => {
      const target = resolve(
        { [setting]: '' },
        { [env]: '' },
        inProject ? { source: PROJECT, [setting]: 'from-project' } : undefined,
      );
      expect(read(target)).toEqual(inProject ? { value: 'from-project', source: PROJECT } : undefined);
    });
  });

  describe('address (--address, NOMAD_ADDR)', () => {
    it.each([
      [{}, {}, { value: 'http://127.0.0.1:4646', source: 'default' }],
      [
        {},
        { NOMAD_ADDR: 'https://nomad.example:4646' },
        { value: 'https://nomad.example:4646', source: 'NOMAD_ADDR' },
      ],
      [
        { address: 'http://10.0.0.1:4646' },
        { NOMAD_ADDR: 'https://nomad.example:4646' },
        { value: 'http://10.0.0.1:4646', source: '--address' },
      ],
      [
        {},
        { NOMAD_ADDR: 'https://nomad.example:4646//' },
        { value: 'https://nomad.example:4646', source: 'NOMAD_ADDR' },
      ],
      [{ address: '' }, {}, { value: 'http://127.0.0.1:4646', source: 'default' }],
    ])('flags %j, environment %j: %j', (flags, env, expected) => {
      expect(resolve(flags, env, { source: PROJECT, namespace: 'shop' }).address).toEqual(expected);
    });
  });

  describe('TLS verification (--tls-skip-verify, NOMAD_SKIP_VERIFY): off only when asked', () => {
    it.each<[TargetFlags, Environment, boolean, string]>([
      [{}, {}, false, 'default'],
      [{}, { NOMAD_SKIP_VERIFY: 'true' }, true, 'NOMAD_SKIP_VERIFY'],
      [{}, { NOMAD_SKIP_VERIFY: '1' }, true, 'NOMAD_SKIP_VERIFY'],
      [{}, { NOMAD_SKIP_VERIFY: 'T' }, true, 'NOMAD_SKIP_VERIFY'],
      [{}, { NOMAD_SKIP_VERIFY: 'false' }, false, 'NOMAD_SKIP_VERIFY'],
      // Go's strconv.ParseBool refuses these: the Nomad CLI then keeps verifying, and so does drover.
      [{}, { NOMAD_SKIP_VERIFY: 'yes' }, false, 'default'],
      [{}, { NOMAD_SKIP_VERIFY: 'on' }, false, 'default'],
      [{}, { NOMAD_SKIP_VERIFY: '' }, false, 'default'],
      [{ tlsSkipVerify: true }, {}, true, '--tls-skip-verify'],
      [{ tlsSkipVerify: false }, { NOMAD_SKIP_VERIFY: 'true' }, false, '--tls-skip-verify'],
      [{ tlsSkipVerify: true }, { NOMAD_SKIP_VERIFY: 'false' }, true, '--tls-skip-verify'],
    ])('flags %j, environment %j: skip %s (from %s)', (flags, env, value, source) => {
      expect(resolve(flags, env).tls.skipVerify).toEqual({ value, source });
    });

    it('parses booleans as Go does', () => {
      expect(['1', 't', 'T', 'TRUE', 'true', 'True'].map(parseGoBool)).toEqual(Array(6).fill(true));
      expect(['0', 'f', 'F', 'FALSE', 'false', 'False'].map(parseGoBool)).toEqual(Array(6).fill(false));
      expect(['yes', 'no', 'TrUe', ' true'].map(parseGoBool)).toEqual(Array(4).fill(undefined));
    });
  });

  it('names the token by where it came from; a flag token loses the blanks a copy and paste adds', () => {
    expect(resolve({ token: '  s3cret\n' }, { NOMAD_TOKEN: 'other' }).token).toEqual({
      value: 's3cret',
      source: '--token',
    });
    expect(resolve({ token: '   ' }, { NOMAD_TOKEN: 'other' }).token).toEqual({
      value: 'other',
      source: 'NOMAD_TOKEN',
    });
  });

  it('is one target named "default" while drover.hcl declares no clusters', () => {
    expect(resolveTargets({ env: {} }).map((t) => t.name)).toEqual(['default']);
  });

  it('reads only the environment it is given, never the process environment', () => {
    const saved = process.env.NOMAD_ADDR;
    process.env.NOMAD_ADDR = 'http://from-the-process:4646';
    try {
      expect(resolve({}, {}).address).toEqual({ value: 'http://127.0.0.1:4646', source: 'default' });
    } finally {
      if (saved === undefined) delete process.env.NOMAD_ADDR;
      else process.env.NOMAD_ADDR = saved;
    }
  });
});

describe('targets of cluster blocks', () => {
  const cluster = (name: string, fields: Partial<ClusterDeclaration> = {}): ClusterDeclaration => ({
    name,
    at: `deploy/drover.hcl:1:1`,
    address: `https://${name}.example:4646`,
    varFiles: [],
    after: [],
    ...fields,
  });
  const project = (...clusters: ClusterDeclaration[]): ProjectTarget => ({
    source: PROJECT,
    dir: '/repo/deploy',
    clusters,
  });
  const block = (name: string) => `cluster "${name}" in ${PROJECT}`;

  it('is one target per cluster, in drover.hcl order, each at its own address whatever NOMAD_ADDR says', () => {
    const targets = resolveTargets({
      env: { NOMAD_ADDR: 'http://laptop:4646', NOMAD_CACERT: '/etc/ca.pem' },
      project: project(
        cluster('staging'),
        cluster('prod', { after: ['staging'], varFiles: ['env/prod.hcl'] }),
      ),
    });
    expect(targets.map((t) => [t.name, t.address, t.after, t.varFiles])).toEqual([
      ['staging', { value: 'https://staging.example:4646', source: block('staging') }, [], []],
      [
        'prod',
        { value: 'https://prod.example:4646', source: block('prod') },
        ['staging'],
        ['/repo/deploy/env/prod.hcl'],
      ],
    ]);
    // What a block leaves out still comes from the environment.
    expect(targets[1]!.tls.caCert).toEqual({ value: '/etc/ca.pem', source: 'NOMAD_CACERT' });
  });

  it('takes each token from the variable its token_env names, NOMAD_TOKEN by default, or its token_file', () => {
    const files: Record<string, string> = { '/repo/deploy/secrets/eu.token': 'eu-secret\n' };
    const targets = resolveTargets({
      env: { NOMAD_TOKEN: 'staging-secret', NOMAD_TOKEN_PROD: 'prod-secret' },
      project: project(
        cluster('staging'),
        cluster('prod', { tokenEnv: 'NOMAD_TOKEN_PROD' }),
        cluster('eu', { tokenFile: 'secrets/eu.token' }),
        cluster('us', { tokenEnv: 'NOMAD_TOKEN_US' }),
      ),
      readFile: (path) => files[path]!,
    });
    expect(targets.map((t) => t.token)).toEqual([
      { value: 'staging-secret', source: 'NOMAD_TOKEN' },
      { value: 'prod-secret', source: 'NOMAD_TOKEN_PROD' },
      { value: 'eu-secret', source: '/repo/deploy/secrets/eu.token' },
      undefined,
    ]);
  });

  it('says which token file it could not read, never a token', () => {
    expect(() =>
      resolveTargets({
        env: {},
        project: project(cluster('eu', { tokenFile: '/nope/eu.token' })),
        readFile: () => {
          throw new Error('ENOENT: no such file or directory');
        },
      }),
    ).toThrow(
      'cannot read the token file of cluster "eu" (/nope/eu.token): ENOENT: no such file or directory',
    );
  });

  it('keeps TLS paths relative to drover.hcl and the block before the environment', () => {
    const [target] = resolveTargets({
      env: { NOMAD_CLIENT_CERT: '/env/cert.pem', NOMAD_SKIP_VERIFY: 'true' },
      project: project(
        cluster('a', { caCert: 'tls/ca.pem', clientCert: 'tls/cli.pem', tlsSkipVerify: false }),
      ),
    });
    expect(target.tls.caCert).toEqual({ value: '/repo/deploy/tls/ca.pem', source: block('a') });
    expect(target.tls.clientCert).toEqual({ value: '/repo/deploy/tls/cli.pem', source: block('a') });
    expect(target.tls.skipVerify).toEqual({ value: false, source: block('a') });
  });

  it('narrows to the clusters --cluster names, and names a typo with a suggestion', () => {
    const clusters = project(cluster('staging'), cluster('prod-eu'), cluster('prod-us'));
    expect(
      resolveTargets({ env: {}, project: clusters, clusters: ['prod-us', 'staging'] }).map((t) => t.name),
    ).toEqual(['staging', 'prod-us']);
    expect(() => resolveTargets({ env: {}, project: clusters, clusters: ['prod-ue'] })).toThrow(
      expect.objectContaining({
        message: '--cluster prod-ue: deploy/drover.hcl declares no cluster "prod-ue"',
        hint: 'Did you mean --cluster prod-eu?',
      }),
    );
    expect(() => resolveTargets({ env: {}, project: { source: PROJECT }, clusters: ['prod'] })).toThrow(
      '--cluster prod: deploy/drover.hcl declares no clusters',
    );
  });

  it('refuses a connection flag that would speak for several clusters, and takes it for one', () => {
    const clusters = project(cluster('staging'), cluster('prod'));
    expect(() =>
      resolveTargets({ env: {}, project: clusters, flags: { address: 'http://x:4646', token: 't' } }),
    ).toThrow('--address, --token would apply to every cluster (staging, prod)');
    const [one] = resolveTargets({
      env: {},
      project: clusters,
      flags: { address: 'http://x:4646', token: 't' },
      clusters: ['prod'],
    });
    expect([one.address, one.token]).toEqual([
      { value: 'http://x:4646', source: '--address' },
      { value: 't', source: '--token' },
    ]);
    // --namespace and --region are the same for every cluster.
    expect(
      resolveTargets({ env: {}, project: clusters, flags: { namespace: 'apps' } }).map(
        (t) => t.namespace?.value,
      ),
    ).toEqual(['apps', 'apps']);
  });

  it('makes a target per region of a federated cluster, the first region first and authoritative', () => {
    const targets = resolveTargets({
      env: {},
      project: project(
        cluster('staging'),
        cluster('fed', { regions: ['eu', 'us'], after: ['staging'] }),
        cluster('late', { after: ['fed'] }),
      ),
    });
    expect(targets.map((t) => [t.name, t.region?.value, t.after, t.federation])).toEqual([
      ['staging', undefined, [], undefined],
      ['fed/eu', 'eu', ['staging'], { cluster: 'fed', region: 'eu', authoritative: true }],
      ['fed/us', 'us', ['staging', 'fed/eu'], { cluster: 'fed', region: 'us', authoritative: false }],
      ['late', undefined, ['fed/eu', 'fed/us'], undefined],
    ]);
    // One address: Nomad forwards each request to its region.
    expect(new Set(targets.slice(1, 3).map((t) => t.address.value))).toEqual(
      new Set(['https://fed.example:4646']),
    );
    expect(targets[2]!.region).toEqual({ value: 'us', source: block('fed') });
    // --cluster names a federated cluster (every region) or one of its regions.
    const fed = project(cluster('fed', { regions: ['eu', 'us'] }), cluster('other'));
    const names = (clusters: string[]) =>
      resolveTargets({ env: {}, project: fed, clusters }).map((t) => t.name);
    expect(names(['fed'])).toEqual(['fed/eu', 'fed/us']);
    expect(names(['fed/us'])).toEqual(['fed/us']);
    expect(() => names(['fed/mars'])).toThrow(
      '--cluster fed/mars: deploy/drover.hcl declares no cluster "fed/mars"',
    );
  });
});
