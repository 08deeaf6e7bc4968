import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { CallName, Response } from '../core/contract';
import { UserError } from '../core/errors';
import { dispatch } from '../services/dispatch';
import type { Services } from '../services/open';

/**
 * Commands that write what the register names a person for (a movement of stock, an application,
 * a decision) act as an account of this workstation: --account NAME, its password from
 * SEAL_COUNTER_PASSWORD or typed when asked — never an argument, which the process list and the
 * shell's history would show. The calls then go through the contract's dispatch as the screens'
 * do: the same roles, checks and Chinese refusals, and the sign-in's throttle.
 */
export const ACCOUNT_OPTION = { account: { type: 'string' } } as const;
export const ACCOUNT_HELP = '以 --account 指定的账户办理，密码取自环境变量 SEAL_COUNTER_PASSWORD（在终端中运行时也可按提示输入）。';

async function password(env: NodeJS.ProcessEnv, username: string): Promise<string> {
  if (env.SEAL_COUNTER_PASSWORD !== undefined) return env.SEAL_COUNTER_PASSWORD;
  if (!process.stdin.isTTY) throw new UserError(`请输入账户“${username}”的密码：用环境变量 SEAL_COUNTER_PASSWORD 提供，或在终端中运行本命令。`);
  // Typed without echo, as at the sign-in screen.
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  process.stdout.write(`账户“${username}”的密码：`);
  const reader = createInterface({ input: process.stdin, output: muted, terminal: true });
  try {
    return await new Promise<string>((resolve) => reader.question('', resolve));
  } finally {
    reader.close();
    process.stdout.write('\n');
  }
}

export async function signInAs(services: Services, account: string | undefined, env: NodeJS.ProcessEnv): Promise<void> {
  const username = account ?? env.SEAL_COUNTER_ACCOUNT;
  if (!username) throw new UserError('请用 --account 用户名 指定办理本操作的账户（或设置环境变量 SEAL_COUNTER_ACCOUNT）。');
  await callContract(services, 'auth.signIn', { username, password: await password(env, username) });
}

/**
 * One contract call, as the screens make it; a refusal becomes the command's one sentence. The
 * request is validated by dispatch, so an option left out reaches the rule that names the field.
 */
export async function callContract<N extends CallName>(services: Services, name: N, request: unknown): Promise<Response<N>> {
  const result = await dispatch(services, name, request);
  if (!result.ok) throw new UserError(result.error.message);
  return result.value as Response<N>;
}
