import { parseGoBool, resolveNomadSettings } from '../../../src/config/nomad-settings.js';

describe('resolveNomadSettings', () => {
  it('defaults to the local agent, like the Nomad CLI', () => {
    const settings = resolveNomadSettings({}, {});
    expect(settings.address).toEqual({ value: 'http://127.0.0.1:4646', source: 'default' });
    expect(settings.token).toBeUndefined();
    expect(settings.tls.skipVerify).toEqual({ value: false, source: 'default' });
  });

  it('reads the NOMAD_* variables and remembers where each value came from', () => {
    const settings = resolveNomadSettings(
      {},
      {
        NOMAD_ADDR: 'https://nomad.example:4646/',
        NOMAD_TOKEN: 'secret',
        NOMAD_NAMESPACE: 'shop',
        NOMAD_REGION: 'eu',
        NOMAD_CACERT: '/ca.pem',
        NOMAD_TLS_SERVER_NAME: 'server.eu.nomad',
        NOMAD_SKIP_VERIFY: 'T',
      },
    );
    expect(settings.address).toEqual({ value: 'https://nomad.example:4646', source: 'NOMAD_ADDR' });
    expect(settings.token).toEqual({ value: 'secret', source: 'NOMAD_TOKEN' });
    expect(settings.namespace?.value).toBe('shop');
    expect(settings.region?.value).toBe('eu');
    expect(settings.tls.caCert).toEqual({ value: '/ca.pem', source: 'NOMAD_CACERT' });
    expect(settings.tls.serverName?.value).toBe('server.eu.nomad');
    expect(settings.tls.skipVerify).toEqual({ value: true, source: 'NOMAD_SKIP_VERIFY' });
  });

  it('lets flags win over the environment', () => {
    const settings = resolveNomadSettings(
      { address: 'http://10.0.0.1:4646', namespace: 'ops', tlsSkipVerify: false },
      { NOMAD_ADDR: 'http://other:4646', NOMAD_NAMESPACE: 'shop', NOMAD_SKIP_VERIFY: 'true' },
    );
    expect(settings.address).toEqual({ value: 'http://10.0.0.1:4646', source: '--address' });
    expect(settings.namespace).toEqual({ value: 'ops', source: '--namespace' });
    expect(settings.tls.skipVerify).toEqual({ value: false, source: '--tls-skip-verify' });
  });

  it('ignores an unparsable NOMAD_SKIP_VERIFY, as Go strconv.ParseBool callers do', () => {
    expect(resolveNomadSettings({}, { NOMAD_SKIP_VERIFY: 'yes' }).tls.skipVerify.value).toBe(false);
    expect(parseGoBool('yes')).toBeUndefined();
    expect(parseGoBool('0')).toBe(false);
  });
});
