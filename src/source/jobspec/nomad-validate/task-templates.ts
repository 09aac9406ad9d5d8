/**
 * A task's templates as Template.Validate checks them (nomad/structs, v2.0.5), over api Template.Canonicalize's
 * defaults: something to render, a destination inside the allocation that no other template takes, a change mode
 * with what it needs, a positive splay, octal permissions and a wait whose minimum is not above its maximum.
 */
import { goQuote } from '../../hcl/unify.js';
import type { Findings } from './findings.js';
import { escapesAllocDir } from './go-paths.js';
import { duration as d, flag, numberOf, object, objects, text, withDefaults, type Obj } from './values.js';

const TEMPLATE_DEFAULTS: Obj = {
  SourcePath: '',
  DestPath: '',
  EmbeddedTmpl: '',
  ChangeMode: 'restart',
  Splay: 5e9,
  Perms: '0644',
  Envvars: false,
};

export function templateRules(task: Obj, f: Findings): void {
  const destinations = new Map<string, number>();
  objects(task, 'Templates').forEach((given, i) => {
    const template = withDefaults(TEMPLATE_DEFAULTS, given);
    const at = f.in(given, `template ${i + 1}`);
    oneTemplateRules(template, at);
    const destination = text(template, 'DestPath');
    const other = destinations.get(destination);
    if (other !== undefined) at.add(`Template ${i + 1} has same destination as ${other}`, 'DestPath');
    else destinations.set(destination, i + 1);
  });
}

function oneTemplateRules(t: Obj, f: Findings): void {
  if (text(t, 'SourcePath') === '' && text(t, 'EmbeddedTmpl') === '')
    f.add('Must specify a source path or have an embedded template', 'SourcePath');
  const destination = text(t, 'DestPath');
  if (destination === '') f.add('Must specify a destination for the template', 'DestPath');
  if (escapesAllocDir('task', destination)) f.add('destination escapes allocation directory', 'DestPath');
  changeModeRules(t, f);
  if ((numberOf(t, 'Splay') ?? 0) < 0) f.add('Must specify positive splay value', 'Splay');
  const perms = text(t, 'Perms');
  const wrong = perms === '' ? undefined : octalPermsProblem(perms);
  if (wrong)
    f.add(
      `Failed to parse ${goQuote(perms)} as octal: strconv.ParseUint: parsing ${goQuote(perms)}: ${wrong}`,
      'Perms',
    );
  waitRules(object(t, 'Wait'), f);
}

function changeModeRules(t: Obj, f: Findings): void {
  const mode = text(t, 'ChangeMode');
  if (mode === 'noop' || mode === 'restart') return;
  if (mode === 'signal') {
    // api Canonicalize gives signal mode SIGHUP unless the file sets change_signal itself.
    const signal =
      t.ChangeSignal === null || t.ChangeSignal === undefined ? 'SIGHUP' : text(t, 'ChangeSignal');
    if (signal === '') f.add('Must specify signal value when change mode is signal', 'ChangeSignal');
    if (flag(t, 'Envvars')) f.add('cannot use signals with env var templates', 'Envvars');
  } else if (mode === 'script') {
    const script = object(t, 'ChangeScript');
    if (!script)
      f.add('must specify change script configuration value when change mode is script', 'ChangeMode');
    else if (text(script, 'Command') === '')
      f.in(script, 'change_script').add(
        'must specify script path value when change mode is script',
        'Command',
      );
  } else
    f.add('Invalid change mode. Must be one of the following: noop, signal, script, restart', 'ChangeMode');
}

/** strconv.ParseUint(perms, 8, 12)'s complaint, which comes from the first digit at fault. */
function octalPermsProblem(perms: string): string | undefined {
  let value = 0;
  for (const ch of perms) {
    if (ch < '0' || ch > '7') return 'invalid syntax';
    value = value * 8 + Number(ch);
    if (value > 0o7777) return 'value out of range';
  }
  return undefined;
}

/** WaitConfig.Validate: only a wait that sets both bounds can have them the wrong way round. */
function waitRules(wait: Obj | undefined, f: Findings): void {
  const min = numberOf(wait, 'Min');
  const max = numberOf(wait, 'Max');
  if (wait && min !== undefined && max !== undefined && min > max)
    f.in(wait, 'wait').add(`wait min ${d(min)} is greater than max ${d(max)}`, 'Min');
}
