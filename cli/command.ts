import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../core/errors';
import { ImportError } from '../core/files/sheet';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

/**
 * One pattern for every `seal-counter` command, the hub's included: each declares its synopsis,
 * its help, its options and its positional arguments, and the runner gives them all the same
 * behaviour — `--help` prints Chinese help and exits 0; an unknown command or option, or a
 * missing or extra argument, is one line and exit code 2; a refusal the user can act on
 * (UserError) is its message and exit code 1; otherwise the command's own exit code.
 */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

type OptionValues<O extends ParseArgsOptionsConfig> = {
  [K in keyof O]: O[K] extends { type: 'boolean' } ? boolean : O[K] extends { multiple: true } ? string[] | undefined : string | undefined;
};

export interface CommandInvocation<O extends ParseArgsOptionsConfig> {
  values: OptionValues<O>;
  positionals: string[];
  env: NodeJS.ProcessEnv;
}

export interface CommandSpec<O extends ParseArgsOptionsConfig> {
  name: string;
  /** What follows the name in the usage line, e.g. `FILE [--db PATH] [--json]`. */
  synopsis: string;
  /** One or more lines of Chinese help. */
  help: string;
  options: O;
  /** How many positional arguments it takes: exactly `min` unless `max` says more may follow. */
  positionals?: { min: number; max?: number; names: string };
  run(invocation: CommandInvocation<O>): Promise<number> | number;
}

export interface Command {
  name: string;
  synopsis: string;
  help: string;
  execute(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number>;
}

/** The option every command that opens the workstation's database takes. */
export const DB_OPTION = { db: { type: 'string' } } as const;
/** --json: the answer as JSON on stdout, for scripts and tests, instead of Chinese lines. */
export const JSON_OPTION = { json: { type: 'boolean', default: false } } as const;

export function defineCommand<const O extends ParseArgsOptionsConfig>(spec: CommandSpec<O>): Command {
  return {
    name: spec.name,
    synopsis: spec.synopsis,
    help: spec.help,
    async execute(argv, env) {
      if (argv.includes('--help') || argv.includes('-h')) {
        console.log(commandHelp(spec));
        return EXIT_OK;
      }
      let parsed: { values: Record<string, unknown>; positionals: string[] };
      try {
        parsed = parseArgs({ args: [...argv], options: spec.options, allowPositionals: true, strict: true });
      } catch (error) {
        return usageError(`命令 ${spec.name}：${describeParseError(error)}`, spec.name);
      }
      const { min, max, names } = spec.positionals ?? { min: 0, max: 0, names: '' };
      const most = max ?? min;
      if (parsed.positionals.length < min) return usageError(`命令 ${spec.name} 缺少参数 ${names}`, spec.name);
      if (parsed.positionals.length > most) return usageError(`命令 ${spec.name} 不接受参数“${parsed.positionals.slice(most).join(' ')}”`, spec.name);
      try {
        return await spec.run({ values: parsed.values as OptionValues<O>, positionals: parsed.positionals, env });
      } catch (error) {
        if (error instanceof UserError) {
          console.error(error.message);
          return EXIT_FAILED;
        }
        throw error;
      }
    },
  };
}

/** A usage error: one line, and exit code 2. */
export function usageError(line: string, commandName: string | null): number {
  console.error(`${line}。运行“seal-counter ${commandName ? `${commandName} ` : ''}--help”查看用法。`);
  return EXIT_USAGE;
}

/** node:util's parse errors are English; the option they name is what the user needs. */
function describeParseError(error: unknown): string {
  const code = (error as { code?: string }).code;
  const named = /'(-{1,2}[^'\s]+)/.exec((error as Error).message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `未知选项“${named}”`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `选项“${named.replace(/^(-{1,2}[^\s,]+).*/, '$1')}”的值无效或缺少值`;
  return '参数无效';
}

function commandHelp(spec: CommandSpec<ParseArgsOptionsConfig>): string {
  return `用法：seal-counter ${spec.name}${spec.synopsis ? ` ${spec.synopsis}` : ''}\n\n${spec.help.split('\n').map((line) => `  ${line}`).join('\n')}`;
}

export interface CommandGroup {
  title: string;
  commands: readonly Command[];
  /** Said after the group's commands, e.g. where the data lives. */
  footer?: string;
}

export function overviewHelp(groups: readonly CommandGroup[]): string {
  const sections = groups.map((group) => {
    const lines = group.commands.map((c) => `  ${c.name}${c.synopsis ? ` ${c.synopsis}` : ''}\n${c.help.split('\n').map((line) => `      ${line}`).join('\n')}`);
    return `${group.title}\n${lines.join('\n')}${group.footer ? `\n\n${group.footer}` : ''}`;
  });
  return `用法：seal-counter <命令> [参数]；seal-counter <命令> --help 显示该命令的说明。\n\n${sections.join('\n\n')}`;
}

/** Runs the command `argv` names; the exit code follows the rules at the top of this file. */
export async function runCommandLine(groups: readonly CommandGroup[], argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    console.error(overviewHelp(groups));
    return EXIT_USAGE;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(overviewHelp(groups));
    return EXIT_OK;
  }
  const command = groups.flatMap((g) => g.commands).find((c) => c.name === name);
  if (!command) {
    console.error(`未知命令“${name}”。运行“seal-counter --help”查看全部命令。`);
    return EXIT_USAGE;
  }
  return command.execute(rest, env);
}

/** A file named on the command line, or one Chinese sentence saying why it cannot be read. */
export function readArgumentFile(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? '文件不存在' : code === 'EACCES' ? '没有读取权限' : code === 'EISDIR' ? '这是一个目录' : (error as Error).message;
    throw new ImportError(`无法读取文件“${file}”：${why}。`);
  }
}

/**
 * A command with sub-commands (`replacement add`, `replacement list`, …): each sub-command is a
 * command of its own, with its help, options and arguments, under the family's name.
 */
export function commandFamily(name: string, help: string, subcommands: readonly Command[]): Command {
  const verbs = subcommands.map((c) => c.name.slice(name.length + 1));
  const familyHelp = () => `用法：seal-counter ${name} ${verbs.join('|')} …\n\n  ${help}\n\n${subcommands.map((c) => `  ${c.name} ${c.synopsis}\n      ${c.help.split('\n').join('\n      ')}`).join('\n')}`;
  return {
    name,
    synopsis: `${verbs.join('|')} …`,
    help,
    async execute(argv, env) {
      const [verb, ...rest] = argv;
      if (verb === '--help' || verb === '-h') {
        console.log(familyHelp());
        return EXIT_OK;
      }
      const sub = subcommands.find((c) => c.name === `${name} ${verb}`);
      if (!sub) {
        console.error(`${verb === undefined ? `命令 ${name} 缺少子命令` : `命令 ${name} 没有子命令“${verb}”`}（可用：${verbs.join('、')}）。运行“seal-counter ${name} --help”查看用法。`);
        return EXIT_USAGE;
      }
      return sub.execute(rest, env);
    },
  };
}
