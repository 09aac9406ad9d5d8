/**
 * A Markdown page's `console` blocks as runnable transcripts: `$ ` lines are commands, the lines after each are
 * the output it must print. In the expected output, a line that is only `…` stands for any number of lines and
 * `…` inside a line for any text on it; IDs, timestamps, durations (also `duration_ms`), X-Nomad-Index values and column padding
 * may differ, because they differ from run to run.
 */

export interface SimulatorStep {
  readonly action: string;
  readonly body: unknown;
}

export interface Transcript {
  /** 1-based line of the opening fence in the Markdown file. */
  readonly line: number;
  /** `<!-- simulator: ACTION {json} -->` comments just above the block: control calls made before it runs. */
  readonly setup: readonly SimulatorStep[];
  readonly commands: readonly string[];
  /** The block's text: each command as `$ command`, then its output. */
  readonly expected: string;
}

const FENCE = /^(`{3,})console\s*$/;
const SETUP = /^<!-- simulator: (\S+)(?: (.*))? -->$/;

export function transcriptsIn(markdown: string): Transcript[] {
  const lines = markdown.split('\n');
  const transcripts: Transcript[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = FENCE.exec(lines[i]!);
    if (!fence) continue;
    const setup: SimulatorStep[] = [];
    for (let j = i - 1; j >= 0 && SETUP.test(lines[j]!); j--) {
      const [, action, body] = SETUP.exec(lines[j]!)!;
      setup.unshift({ action: action!, body: body ? (JSON.parse(body) as unknown) : {} });
    }
    const end = lines.indexOf(fence[1]!, i + 1);
    if (end < 0) throw new Error(`line ${i + 1}: the console block is never closed`);
    const body = lines.slice(i + 1, end);
    transcripts.push({
      line: i + 1,
      setup,
      commands: body.filter((l) => l.startsWith('$ ')).map((l) => l.slice(2)),
      expected: body.join('\n'),
    });
    i = end;
  }
  return transcripts;
}

/** A shell script that prints each command as `$ command` before running it, keeping `$?` for the next. */
export function scriptFor(commands: readonly string[]): string {
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  return [
    'status=0',
    ...commands.map((c) => `printf '%s\\n' ${quote(`$ ${c}`)}; (exit $status); ${c} 2>&1; status=$?`),
  ].join('\n');
}

const VARYING: ReadonlyArray<[RegExp, string]> = [
  [/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?Z'],
  [
    /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
    '[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}',
  ],
  [/\b[0-9a-f]{8}\b/g, '[0-9a-f]{8}'],
  [/X-Nomad-Index=\d+/g, 'X-Nomad-Index=\\d+'],
  [/"duration_ms": \d+/g, '"duration_ms": \\d+'],
  [/\b\d+(?:\.\d+)?m?s\b/g, '\\d+(?:\\.\\d+)?m?s'],
];

/** One expected line as a pattern for the actual line. */
export function linePattern(expected: string): RegExp {
  const placeholders: string[] = [];
  let text = expected.trimEnd();
  for (const [find, pattern] of VARYING)
    text = text.replace(find, () => `\uE000${placeholders.push(pattern) - 1}\uE000`);
  const escaped = text
    .split(/(\uE000\d+\uE000|…| {2,})/)
    .map((part) => {
      if (part === '…') return '.*';
      if (/^ {2,}$/.test(part)) return ' +';
      const placeholder = /^\uE000(\d+)\uE000$/.exec(part);
      if (placeholder) return placeholders[Number(placeholder[1])]!;
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${escaped}$`);
}

/** Whether the actual output is what the transcript shows, `…` lines matching any run of lines. */
export function matchesTranscript(expected: string, actual: string): boolean {
  const want = expected.split('\n');
  const got = actual
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => l.trimEnd());
  const patterns = want.map((line) => (line.trim() === '…' ? undefined : linePattern(line)));
  const memo = new Map<string, boolean>();
  const match = (w: number, g: number): boolean => {
    const key = `${w},${g}`;
    if (memo.has(key)) return memo.get(key)!;
    let result: boolean;
    if (w === want.length) result = g === got.length;
    else if (!patterns[w]) result = match(w + 1, g) || (g < got.length && match(w, g + 1));
    else result = g < got.length && patterns[w]!.test(got[g]!) && match(w + 1, g + 1);
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}
