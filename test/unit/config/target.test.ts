import {
  parseGoBool,
  resolveTargets,
  type Environment,
  type ProjectTarget,
  type Target,
  type TargetFlags,
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
