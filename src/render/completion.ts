/**
 * Shell completion scripts for `drover completion SHELL`: commands, their flags, the values of flags that take a
 * fixed set, and file names elsewhere. Static text made from the command list, so completing costs the shell
 * nothing and drover's start-up nothing.
 */

export interface CompletedFlag {
  readonly name: string;
  readonly char?: string;
  readonly summary: string;
  /** The flag takes a value (otherwise it is a switch). */
  readonly takesValue: boolean;
  /** Its only possible values, when it has a fixed set. */
  readonly options?: readonly string[];
  /** A boolean that also has a --no- form. */
  readonly negatable?: boolean;
}

export interface CompletedCommand {
  readonly id: string;
  readonly summary: string;
  readonly flags: readonly CompletedFlag[];
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export function renderCompletion(shell: Shell, bin: string, commands: readonly CompletedCommand[]): string {
  return shell === 'fish' ? fish(bin, commands) : shell === 'zsh' ? zsh(bin, commands) : bash(bin, commands);
}

const spellings = (flag: CompletedFlag) => [
  `--${flag.name}`,
  ...(flag.negatable ? [`--no-${flag.name}`] : []),
  ...(flag.char ? [`-${flag.char}`] : []),
];

const shellWord = (text: string) => text.replace(/[^A-Za-z0-9_.:/=-]/g, '');

function bash(bin: string, commands: readonly CompletedCommand[]): string {
  const fn = `_${shellWord(bin).replace(/[^A-Za-z0-9_]/g, '_')}_complete`;
  const flagCases = commands.map(
    (c) => `    ${shellWord(c.id)}) flags="${c.flags.flatMap(spellings).map(shellWord).join(' ')}" ;;`,
  );
  const valueCases = commands.flatMap((c) =>
    c.flags
      .filter((f) => f.options && f.options.length > 0)
      .map(
        (f) =>
          `    ${shellWord(c.id)}:--${shellWord(f.name)}) COMPREPLY=($(compgen -W "${f.options!.map(shellWord).join(' ')}" -- "$cur")); return ;;`,
      ),
  );
  return `# ${bin} completion for bash: source it from ~/.bashrc, or put it in /etc/bash_completion.d/${bin}
${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" cmd="\${COMP_WORDS[1]}" flags=""
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W "${commands.map((c) => shellWord(c.id)).join(' ')} --help --version" -- "$cur"))
    return
  fi
  case "$cmd:$prev" in
${valueCases.join('\n')}
  esac
  case "$cmd" in
${flagCases.join('\n')}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$flags --help" -- "$cur"))
  else
    local IFS=$'\n'
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -F ${fn} ${shellWord(bin)}
`;
}

/** zsh runs the bash function through bashcompinit, as it does for many tools' completions. */
function zsh(bin: string, commands: readonly CompletedCommand[]): string {
  return `# ${bin} completion for zsh: add "source <(${bin} completion zsh)" to ~/.zshrc
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bash(bin, commands).split('\n').slice(1).join('\n')}`;
}

function fish(bin: string, commands: readonly CompletedCommand[]): string {
  const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const b = shellWord(bin);
  const lines = [
    `# ${bin} completion for fish: save as ~/.config/fish/completions/${bin}.fish`,
    `complete -c ${b} -f`,
    ...commands.map(
      (c) => `complete -c ${b} -n __fish_use_subcommand -a ${shellWord(c.id)} -d ${quote(c.summary)}`,
    ),
  ];
  for (const c of commands)
    for (const f of c.flags) {
      const when = `-n '__fish_seen_subcommand_from ${shellWord(c.id)}'`;
      const short = f.char ? ` -s ${shellWord(f.char)}` : '';
      const value = f.options?.length ? ` -x -a ${quote(f.options.join(' '))}` : f.takesValue ? ' -r -F' : '';
      lines.push(`complete -c ${b} ${when} -l ${shellWord(f.name)}${short}${value} -d ${quote(f.summary)}`);
      if (f.negatable)
        lines.push(`complete -c ${b} ${when} -l no-${shellWord(f.name)} -d ${quote(f.summary)}`);
    }
  lines.push(`complete -c ${b} -n 'not __fish_use_subcommand' -F`);
  return `${lines.join('\n')}\n`;
}
