/**
 * Job.Validate (nomad/structs, v2.0.5) as `nomad job validate` runs it without an agent, over the decoded api job:
 * the job's fields, its groups (group.ts) and their tasks, periodic and parameterized settings.
 */
import { Findings, type Problem } from './findings.js';
import { groupRules } from './group.js';
import { placementRules } from './placement.js';
import { jobType, numberOf, object, objects, strings, text, type Obj } from './values.js';

const JOB_TYPES = ['service', 'batch', 'system', 'sysbatch', '_core'];
const MAX_DESCRIPTION = 1000;

export function nomadJobProblems(job: Obj): readonly Problem[] {
  const f = Findings.about(job);
  const type = jobType(job);
  const multiregion = objects(object(job, 'Multiregion'), 'Regions').length > 0;
  if (job.Region === '' && !multiregion) f.add('Missing job region', 'Region');
  const id = text(job, 'ID');
  if (id === '') f.add('Missing job ID', 'ID');
  else if (id.includes(' ')) f.add('Job ID contains a space', 'ID');
  else if (id.includes('\0')) f.add('Job ID contains a null character', 'ID');
  if (job.Name === '') f.add('Missing job name', 'Name');
  else if (text(job, 'Name').includes('\0')) f.add('Job Name contains a null character', 'Name');
  if (type === '') f.add('Missing job type', 'Type');
  else if (!JOB_TYPES.includes(type)) f.add(`Invalid job type: "${type}"`, 'Type');
  if (strings(job, 'Datacenters').some((dc) => dc === ''))
    f.add('Job datacenter must be non-empty string', 'Datacenters');
  placementRules(job, type, f);
  const ui = object(job, 'UI');
  const uiDescription = Buffer.byteLength(text(ui, 'Description'));
  if (uiDescription > MAX_DESCRIPTION)
    f.in(ui).add(`UI description must be under 1000 characters, currently ${uiDescription}`, 'Description');
  const tag = object(job, 'VersionTag');
  const tagDescription = Buffer.byteLength(text(tag, 'Description'));
  if (tagDescription > MAX_DESCRIPTION)
    f.in(tag).add(
      `Tagged version description must be under 1000 characters, currently ${tagDescription}`,
      'Description',
    );
  const groups = objects(job, 'TaskGroups');
  groups.forEach((group, i) => {
    const at = f.in(group, `group "${text(group, 'Name')}"`);
    if (text(group, 'Name') === '') at.add(`Job task group ${i + 1} missing name`, 'Name');
    if ((numberOf(group, 'ShutdownDelay') ?? 0) < 0)
      at.add('ShutdownDelay must be a positive value', 'ShutdownDelay');
    const count = numberOf(group, 'Count') ?? 1;
    if (type === 'system' && count > 1)
      at.add(
        `Job task group ${text(group, 'Name')} has count ${count}. Count cannot exceed 1 with system scheduler`,
        'Count',
      );
    groupRules(group, job, at);
  });
  periodicRules(job, type, f);
  parameterizedRules(job, type, f);
  // Nomad keeps a multiregion block only when it names a region, and open-source Nomad refuses it then.
  if (multiregion) f.in(object(job, 'Multiregion')).addEnterprise('Multiregion jobs are unlicensed.');
  return f.all();
}

function periodicRules(job: Obj, type: string, f: Findings): void {
  const periodic = object(job, 'Periodic');
  if (!periodic || periodic.Enabled === false) return;
  const at = f.in(periodic, 'periodic');
  if (type !== 'batch' && type !== 'sysbatch')
    at.add('Periodic can only be used with "batch" or "sysbatch" scheduler');
  const spec = text(periodic, 'Spec');
  const specs = strings(periodic, 'Specs');
  if (spec !== '' && specs.length > 0) at.add('Only cron or crons may be used', 'Specs');
  if (spec === '' && specs.length === 0) at.add('Must specify a spec', 'Spec');
  const zone = text(periodic, 'TimeZone');
  if (zone !== '' && !knownTimeZone(zone))
    at.add(`Invalid time zone "${zone}": unknown time zone ${zone}`, 'TimeZone');
  for (const cron of spec === '' ? specs : [spec, ...specs])
    if (cronFields(cron) < 5)
      at.add(`Invalid cron spec "${cron}": missing field(s)`, spec === '' ? 'Specs' : 'Spec');
  const specType = text(periodic, 'SpecType') || 'cron';
  if (specType !== 'cron' && specType !== 'test')
    at.add(`Unknown periodic specification type "${specType}"`, 'SpecType');
}

const CRON_ALIASES: Readonly<Record<string, string>> = {
  '@yearly': '0 0 0 1 1 * *',
  '@annually': '0 0 0 1 1 * *',
  '@monthly': '0 0 0 1 * * *',
  '@weekly': '0 0 0 * * 0 *',
  '@daily': '0 0 0 * * * *',
  '@hourly': '0 0 * * * * *',
};

/**
 * The fields cronexpr finds in a spec, its aliases expanded: fewer than five is refused. The grammar of each field
 * is left to Nomad's plan, which names the field.
 */
function cronFields(spec: string): number {
  const expanded = spec.replace(
    /@(yearly|annually|monthly|weekly|daily|hourly)/g,
    (alias) => CRON_ALIASES[alias]!,
  );
  return expanded.split(/[\t\n\f\r ]+/).filter((field) => field !== '').length;
}

const timeZones = new Map<string, boolean>();

/** Go's time.LoadLocation: "UTC", "Local" or an IANA zone name (Intl's check, once per name: it is slow). */
function knownTimeZone(zone: string): boolean {
  if (zone === 'UTC' || zone === 'Local') return true;
  let known = timeZones.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      known = !zone.startsWith('/') && !zone.includes('..');
    } catch {
      known = false;
    }
    timeZones.set(zone, known);
  }
  return known;
}

function parameterizedRules(job: Obj, type: string, f: Findings): void {
  const parameterized = object(job, 'ParameterizedJob');
  if (!parameterized) return;
  const at = f.in(parameterized, 'parameterized');
  if (type !== 'batch' && type !== 'sysbatch')
    at.add('Parameterized job can only be used with "batch" or "sysbatch" scheduler');
  const payload = text(parameterized, 'Payload') || 'optional';
  if (!['optional', 'required', 'forbidden'].includes(payload))
    at.add(`Unknown payload requirement: "${payload}"`, 'Payload');
  const optional = new Set(strings(parameterized, 'MetaOptional'));
  const both = strings(parameterized, 'MetaRequired').filter((k) => optional.has(k));
  if (both.length > 0)
    at.add(
      `Required and optional meta keys should be disjoint. Following keys exist in both: [${both.join(' ')}]`,
      'MetaRequired',
    );
}
