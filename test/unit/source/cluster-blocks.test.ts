import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { estateOfCluster, readEstate } from '../../../src/source/estate.js';
import { ProjectFileError, readProjectDocument } from '../../../src/source/project-file.js';

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function project(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'drover-clusters-'));
  made.push(dir);
  writeFileSync(join(dir, 'drover.hcl'), text);
  return readProjectDocument(join(dir, 'drover.hcl'), undefined, 'drover.hcl');
}

/** "line:column: summary | detail" of each error drover.hcl has. */
function errorsOf(text: string): string[] {
  try {
    project(text);
  } catch (error) {
    if (!(error instanceof ProjectFileError)) throw error;
    return error.diagnostics.map(
      (d) => `${d.range.start.line}:${d.range.start.column}: ${d.summary}${d.detail ? ` | ${d.detail}` : ''}`,
    );
  }
  return [];
}

const ISSUE_EXAMPLE = `cluster "staging" {
  address   = "https://nomad.staging.example:4646"
  var_files = ["env/staging.vars.hcl"]
}

cluster "prod-eu" {
  address   = "https://nomad.eu.example:4646"
  region    = "eu"
  var_files = ["env/prod.vars.hcl", "env/prod-eu.vars.hcl"]
  token_env = "NOMAD_TOKEN_PROD_EU"
  after     = ["staging"]
}

job "canary-tester" {
  clusters = ["staging"]
}
`;

describe('cluster blocks in drover.hcl', () => {
  it("reads the issue's example: each cluster's connection, var files, token variable and order", () => {
    const { project: read } = project(ISSUE_EXAMPLE);
    expect(read.clusters).toEqual([
      {
        name: 'staging',
        at: 'drover.hcl:1:1',
        address: 'https://nomad.staging.example:4646',
        varFiles: ['env/staging.vars.hcl'],
        after: [],
      },
      {
        name: 'prod-eu',
        at: 'drover.hcl:6:1',
        address: 'https://nomad.eu.example:4646',
        region: 'eu',
        varFiles: ['env/prod.vars.hcl', 'env/prod-eu.vars.hcl'],
        tokenEnv: 'NOMAD_TOKEN_PROD_EU',
        after: ['staging'],
      },
    ]);
    expect(read.jobClusters).toEqual({ 'canary-tester': ['staging'] });
  });

  it('takes every connection setting the Nomad CLI has, credentials by where they are', () => {
    const { project: read } = project(`cluster "a" {
  address         = "https://a:4646"
  namespace       = "apps"
  ca_file         = "tls/ca.pem"
  ca_path         = "tls/cas"
  client_cert     = "tls/cli.pem"
  client_key      = "tls/cli-key.pem"
  tls_server_name = "server.global.nomad"
  tls_skip_verify = false
  token_file      = "secrets/a.token"
  regions         = ["eu", "us"]
}
`);
    expect(read.clusters![0]).toMatchObject({
      namespace: 'apps',
      caCert: 'tls/ca.pem',
      caPath: 'tls/cas',
      clientCert: 'tls/cli.pem',
      clientKey: 'tls/cli-key.pem',
      tlsServerName: 'server.global.nomad',
      tlsSkipVerify: false,
      tokenFile: 'secrets/a.token',
      regions: ['eu', 'us'],
    });
  });

  it('a project without cluster blocks has none', () => {
    expect(project('stack = "shop"\n').project.clusters).toBeUndefined();
  });

  it.each([
    [
      'a typo, with a suggestion',
      'cluster "a" {\n  adress = "http://a:4646"\n}\n',
      [
        '2:3: Unsupported argument "adress" in a cluster block | Did you mean "address"?',
        '1:1: Cluster "a" has no address | Give it the address of its Nomad: address = "https://nomad.example:4646".',
      ],
    ],
    [
      'the token itself where its variable belongs',
      'cluster "a" {\n  address   = "http://a:4646"\n  token_env = "9f3c-secret-token"\n}\n',
      [
        '3:15: "token_env" must name an environment variable | It holds the name of the variable that holds the token (token_env = "NOMAD_TOKEN_PROD"), never the token itself.',
      ],
    ],
    [
      'two places for the token',
      'cluster "a" {\n  address    = "http://a:4646"\n  token_env  = "T"\n  token_file = "t"\n}\n',
      ['4:16: Both "token_env" and "token_file" are set | Name one place the token comes from.'],
    ],
    [
      'an address that is no URL',
      'cluster "a" {\n  address = "nomad.example:4646"\n}\n',
      [
        '2:13: "address" must be an http:// or https:// URL | For example address = "https://nomad.example:4646".',
      ],
    ],
    [
      'region and regions',
      'cluster "a" {\n  address = "http://a:4646"\n  region  = "eu"\n  regions = ["eu"]\n}\n',
      [
        '4:13: Both "region" and "regions" are set | "regions" lists every federated region jobs go to; the first is where the other objects are written.',
      ],
    ],
    [
      'a duplicate',
      'cluster "a" {\n  address = "http://a:4646"\n}\ncluster "a" {\n  address = "http://b:4646"\n}\n',
      ['4:9: Duplicate cluster "a" | It is declared at drover.hcl:1:9 already; declare it once.'],
    ],
    [
      'a name that cannot be a flag value',
      'cluster "prod eu" {\n  address = "http://a:4646"\n}\n',
      [
        '1:9: Invalid cluster name "prod eu" | A cluster name is 1 to 64 letters, digits, "-", "_" or ".", starting with a letter or digit.',
      ],
    ],
    [
      'after a cluster not declared, with a suggestion',
      'cluster "staging" {\n  address = "http://a:4646"\n}\ncluster "prod" {\n  address = "http://b:4646"\n  after   = ["stagin"]\n}\n',
      ['6:14: Unknown cluster "stagin" in "after" | Did you mean "staging"?'],
    ],
    [
      'a cycle',
      'cluster "a" {\n  address = "http://a:4646"\n  after = ["b"]\n}\ncluster "b" {\n  address = "http://b:4646"\n  after = ["a"]\n}\n',
      [
        '1:9: The clusters\' "after" lists form a cycle: a → b → a | A cluster rolls out only after those it lists: break the cycle.',
      ],
    ],
    [
      'a job sent to a cluster not declared',
      'cluster "staging" {\n  address = "http://a:4646"\n}\njob "web" {\n  clusters = ["staging", "prod"]\n}\n',
      ['5:26: Unknown cluster "prod" | drover.hcl declares "staging".'],
    ],
    [
      'clusters without cluster blocks',
      'job "web" {\n  clusters = ["staging"]\n}\n',
      [
        '2:3: "clusters" names clusters, but drover.hcl declares none | Declare each with a cluster "NAME" { address = "…" } block in drover.hcl, or remove "clusters".',
      ],
    ],
    [
      'a typo in a job block',
      'job "web" {\n  cluster = ["staging"]\n}\n',
      ['2:3: Unsupported argument "cluster" in a job block | Did you mean "clusters"?'],
    ],
  ])('refuses %s, at its position', (_name, text, expected) => {
    expect(errorsOf(text)).toEqual(expected);
  });
});

describe('clusters on estate blocks', () => {
  const TEXT = `cluster "staging" {
  address = "http://a:4646"
}
cluster "prod" {
  address = "http://b:4646"
}
namespace "canary" {
  clusters = ["staging"]
}
namespace "payments" {}
`;

  it('sends an object to the clusters it names, and one that names none to every cluster', () => {
    const document = project(TEXT);
    const estate = readEstate(document, {
      cwd: document.project.dir,
      namespace: 'default',
      values: () => ({}),
    });
    expect(estate.diagnostics).toEqual([]);
    expect(estateOfCluster(estate, { name: 'staging' }).namespaces.map((n) => n.spec.Name)).toEqual([
      'canary',
      'payments',
    ]);
    expect(estateOfCluster(estate, { name: 'prod' }).namespaces.map((n) => n.spec.Name)).toEqual([
      'payments',
    ]);
  });

  it('refuses a cluster it does not declare, at its position', () => {
    const document = project(TEXT.replace('clusters = ["staging"]', 'clusters = ["stagin"]'));
    const estate = readEstate(document, {
      cwd: document.project.dir,
      namespace: 'default',
      values: () => ({}),
    });
    expect(
      estate.diagnostics.map(
        (d) => `${d.range.start.line}:${d.range.start.column}: ${d.summary} | ${d.detail}`,
      ),
    ).toEqual(['8:15: Unknown cluster "stagin" | Did you mean "staging"?']);
    expect(estate.namespaces).toEqual([]);
  });
});

describe('the estate of a federated region', () => {
  it('writes what Nomad replicates only in the first region, and variables in every region', () => {
    const document = project(`cluster "fed" {
  address = "http://a:4646"
  regions = ["eu", "us"]
}
namespace "payments" {}
acl_policy "ci" {
  rules = "namespace \\"payments\\" { policy = \\"write\\" }"
}
nomad_variable "nomad/jobs/api" {
  namespace = "default"
  items     = { mode = "on" }
}
`);
    const estate = readEstate(document, {
      cwd: document.project.dir,
      namespace: 'default',
      values: () => ({}),
    });
    expect(estate.diagnostics).toEqual([]);
    const kinds = (authoritative: boolean) => {
      const part = estateOfCluster(estate, { name: 'fed/x', federation: { cluster: 'fed', authoritative } });
      return [part.namespaces.length, part.aclPolicies.length, part.variables.length];
    };
    expect(kinds(true)).toEqual([1, 1, 1]);
    expect(kinds(false)).toEqual([0, 0, 1]);
  });
});
