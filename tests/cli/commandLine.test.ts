import { describe, expect, it } from 'vitest';
import { runCommandLine } from '../../cli/command';
import { COMMAND_GROUPS } from '../../cli/commands';
import { runCli } from '../support/hub';

/** Runs `seal-counter ARGS…` in this process, capturing what it prints. */
async function inProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  console.log = (...values: unknown[]) => { out.push(values.join(' ')); };
  console.error = (...values: unknown[]) => { err.push(values.join(' ')); };
  try {
    const code = await runCommandLine(COMMAND_GROUPS, args, {});
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

const CHINESE = /[\u4e00-\u9fa5]/;
const everyCommand = COMMAND_GROUPS.flatMap((group) => group.commands.map((command) => command.name));

describe('the seal-counter command line', () => {
  it('lists every command, workstation and hub, in Chinese with --help, and exits 0', async () => {
    const help = await inProcess(['--help']);
    expect(help.code).toBe(0);
    for (const name of everyCommand) expect(help.stdout).toMatch(new RegExp(`^  ${name}( |$)`, 'm'));
    expect(help.stdout).toMatch(/^用法：seal-counter <命令>/);
  });

  it.each(everyCommand)('explains %s in Chinese with --help, and exits 0', async (name) => {
    const help = await inProcess([name, '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(new RegExp(`^用法：seal-counter ${name}`));
    expect(help.stdout.split('\n').slice(1).join('\n')).toMatch(CHINESE);
  });

  it('answers an unknown command, an unknown option and a wrong number of arguments with one line and exit code 2', async () => {
    const cases = [
      [['frobnicate'], /^未知命令“frobnicate”。运行“seal-counter --help”查看全部命令。$/],
      [['register-verify', '--frobnicate'], /^命令 register-verify：未知选项“--frobnicate”。运行“seal-counter register-verify --help”查看用法。$/],
      [['import-list'], /^命令 import-list 缺少参数 FILE。/],
      [['close-day', 'extra.txt'], /^命令 close-day 不接受参数“extra.txt”。/],
      [['hub-status', '--data'], /^命令 hub-status：选项“--data”的值无效或缺少值。/],
    ] as const;
    for (const [args, line] of cases) {
      const run = await inProcess([...args]);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(line);
      expect(run.stderr.split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stdout).toBe('');
    }
  });

  it('gives the same exit codes to the shell', async () => {
    expect((await runCli(['--help'])).code).toBe(0);
    expect((await runCli(['close-day', '--help'])).code).toBe(0);
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect((await runCli([])).code).toBe(2);
  });
});
