/**
 * A task's artifacts as TaskArtifact.Validate checks them (nomad/structs, v2.0.5), over api
 * TaskArtifact.Canonicalize's defaults: a source, a known mode, a destination inside the allocation and a
 * well-formed checksum option.
 */
import { goQuote } from '../../hcl/unify.js';
import type { Findings } from './findings.js';
import { escapesAllocDir, goBase, goJoin } from './go-paths.js';
import { object, objects, text, type Obj } from './values.js';

const MODES = ['any', 'file', 'dir'];

export function artifactRules(task: Obj, f: Findings): void {
  objects(task, 'Artifacts').forEach((artifact, i) =>
    oneArtifactRules(artifact, f.in(artifact, `artifact ${i + 1}`)),
  );
}

function oneArtifactRules(artifact: Obj, f: Findings): void {
  const source = text(artifact, 'GetterSource');
  const mode = text(artifact, 'GetterMode') || 'any';
  if (source === '') f.add('source must be specified', 'GetterSource');
  if (!MODES.includes(mode))
    f.add(`invalid artifact mode ${goQuote(mode)}; must be one of: ${MODES.join(', ')}`, 'GetterMode');
  if (escapesAllocDir('task', destination(artifact, mode, source)))
    f.add('destination escapes allocation directory', 'RelativeDest');
  const checksum = object(artifact, 'GetterOptions')?.checksum;
  if (typeof checksum === 'string') {
    const wrong = checksumProblem(checksum);
    if (wrong) f.add(wrong, 'GetterOptions');
  }
}

/** api Canonicalize's destination: a file lands in local/ under its own name, anything else in local/. */
function destination(artifact: Obj, mode: string, source: string): string {
  const given = artifact.RelativeDest;
  if (typeof given === 'string') return given;
  return mode === 'file' ? goJoin('local', goBase(source)) : 'local/';
}

/** args.ContainsEnv: a ${…} reference, which Nomad resolves only on the client, so the checksum is not judged. */
const ENV_REFERENCE = /\$\{[a-zA-Z0-9_\-.]+\}/;

/** md5 and sha1 are refused only in a FIPS 140 build, which the nomad binary is not. */
const DIGEST_BYTES: Readonly<Record<string, number>> = { md5: 16, sha1: 20, sha256: 32, sha512: 64 };

/** validateChecksum: "type:hex digest" with a digest as long as the type's. */
function checksumProblem(option: string): string | undefined {
  if (ENV_REFERENCE.test(option)) return undefined;
  const check = goTrimSpace(option);
  if (check === '') return 'checksum value cannot be empty';
  const parts = check.split(':');
  if (parts.length !== 2) return `checksum must be given as "type:value"; got ${goQuote(check)}`;
  const [type, digest] = parts as [string, string];
  const hexProblem = hexDecodeProblem(digest);
  if (hexProblem) return `invalid checksum: ${hexProblem}`;
  const expected = DIGEST_BYTES[type];
  if (expected === undefined) return `unsupported checksum type: ${type}`;
  if (Buffer.byteLength(digest) / 2 !== expected) return `invalid ${type} checksum: ${digest}`;
  return undefined;
}

/** Go's unicode.IsSpace characters, which strings.TrimSpace trims. */
const GO_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const goTrimSpace = (s: string) => s.replace(new RegExp(`^${GO_SPACE}+|${GO_SPACE}+$`, 'g'), '');

/** encoding/hex.DecodeString's error: the first bad byte (pairs first, then an odd last one), else the length. */
function hexDecodeProblem(digest: string): string | undefined {
  const bytes = Buffer.from(digest, 'utf8');
  const isHex = (b: number) => /[0-9a-fA-F]/.test(String.fromCharCode(b));
  const bad = bytes.findIndex((b) => !isHex(b));
  if (bad >= 0) return `encoding/hex: invalid byte: ${goRune(bytes[bad]!)}`;
  return bytes.length % 2 === 1 ? 'encoding/hex: odd length hex string' : undefined;
}

/** fmt's %#U of a byte taken as a rune: U+0067 'g', without the quoted character when Go can't print it. */
function goRune(byte: number): string {
  const code = `U+${byte.toString(16).toUpperCase().padStart(4, '0')}`;
  const ch = String.fromCharCode(byte);
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch) ? `${code} '${ch}'` : code;
}
