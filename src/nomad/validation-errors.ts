/**
 * Nomad's answer when it refuses a job (Job.Validate on plan or register): hashicorp/go-multierror's text,
 * nested, one `\t* ` item per line and a count before each nested list. Read back as one line per problem,
 * each with the group and task it is in.
 */

const HEAD = /^(.*?)(\d+) errors? occurred:$/;

/** The problems, or undefined when the text is not a validation answer (a server error, say). */
export function validationProblems(text: string): string[] | undefined {
  const lines = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.replace(/^\t\* /, ''));
  const head = HEAD.exec(lines[0] ?? '');
  if (!head || head[1] !== '') return undefined;
  const problems: string[] = [];
  let next = 1;
  const read = (count: number, where: readonly string[]) => {
    for (let item = 0; item < count && next < lines.length; item++) {
      const line = lines[next++]!;
      const nested = HEAD.exec(line);
      if (!nested) {
        problems.push(where.length > 0 ? `${where.join(', ')}: ${line}` : line);
        continue;
      }
      const context = nested[1]!.trim().replace(/:$/, '');
      read(Number(nested[2]), context === '' ? where : [...where, describe(context)]);
    }
  };
  read(Number(head[2]), []);
  return problems.length > 0 ? problems : undefined;
}

/** "Task group web validation failed" → group "web"; "Task t validation failed" → task "t". */
function describe(context: string): string {
  const group = /^Task group (.+) validation failed$/.exec(context);
  if (group) return `group "${group[1]}"`;
  const task = /^Task (.+) validation failed$/.exec(context);
  if (task) return `task "${task[1]}"`;
  return context.replace(/ validation failed$/, '');
}
