/**
 * A task's workload identities as structs Task.Canonicalize arranges them and WorkloadIdentity.Validate checks
 * them (nomad/structs, v2.0.5): the last identity named "default" (or unnamed) in the identity blocks becomes the
 * task's default identity, in place of the one before it; any other default one left in the list is a duplicate.
 */
import { goQuote } from '../../hcl/unify.js';
import type { Findings } from './findings.js';
import { flag, int, object, objects, strings, text, type Obj } from './values.js';

const DEFAULT_NAME = 'default';
const VALID_NAME = /^[a-zA-Z0-9-_]{1,128}$/;

const nameOf = (identity: Obj) => text(identity, 'Name') || DEFAULT_NAME;

export function identityRules(task: Obj, f: Findings): void {
  const listed = objects(task, 'Identities');
  let defaultIndex = -1;
  listed.forEach((identity, i) => {
    if (nameOf(identity) === DEFAULT_NAME) defaultIndex = i;
  });
  // Without any, Nomad gives the task its built-in default identity, which is valid.
  const chosen = defaultIndex >= 0 ? listed[defaultIndex] : object(task, 'Identity');
  if (chosen) oneIdentityRules(chosen, f.in(chosen, `identity "${nameOf(chosen)}"`));
  listed.forEach((identity, i) => {
    if (i === defaultIndex) return;
    const at = f.in(identity, `identity "${nameOf(identity)}"`);
    if (nameOf(identity) === DEFAULT_NAME) at.add('Duplicate default identities found', 'Name');
    oneIdentityRules(identity, at);
  });
}

/**
 * WorkloadIdentity.Validate of an identity after its Canonicalize (a default one's audience is Nomad's own). Its
 * "must not be nil" is unreachable: Task.Canonicalize always sets the default identity.
 */
function oneIdentityRules(identity: Obj, f: Findings): void {
  const name = nameOf(identity);
  if (!VALID_NAME.test(name))
    f.add(`invalid name ${goQuote(name)}. Must match regex ${VALID_NAME.source}`, 'Name');
  if (name !== DEFAULT_NAME)
    strings(identity, 'Audience').forEach((audience, i) => {
      if (audience === '') f.add(`an empty string is an invalid audience (${i + 1})`, 'Audience');
    });
  changeModeRules(identity, f);
  const ttl = int(identity, 'TTL');
  if (ttl > 0 && name === DEFAULT_NAME) f.add('ttl for default identity not yet supported', 'TTL');
  if (ttl < 0) f.add('ttl must be >= 0', 'TTL');
  if (text(identity, 'Filepath') !== '' && !flag(identity, 'File'))
    f.add('file parameter must be true in order to specify filepath', 'Filepath');
}

function changeModeRules(identity: Obj, f: Findings): void {
  const mode = text(identity, 'ChangeMode');
  const signal = goToUpper(text(identity, 'ChangeSignal'));
  if (mode === '' || mode === 'noop' || mode === 'restart') {
    if (signal !== '')
      f.add(`can only use change_signal=${goQuote(signal)} with change_mode="signal"`, 'ChangeSignal');
  } else if (mode === 'signal') {
    if (signal === '')
      f.add('change_signal must be specified when using change_mode="signal"', 'ChangeSignal');
  } else f.add(`invalid change_mode: ${mode}`, 'ChangeMode');
}

/** Go's strings.ToUpper: simple case mapping, so a letter without a one-letter upper case (ß) stays as it is. */
const goToUpper = (s: string) =>
  Array.from(s, (ch) => {
    const upper = ch.toUpperCase();
    return Array.from(upper).length === 1 ? upper : ch;
  }).join('');
