import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clockFromEnvironment } from '../core/time';
import { TRAINING_ACCOUNT, writeTrainingDb } from '../services/visits/training';
import { defineCommand, EXIT_OK, type Command } from './command';

/** The shared fixtures sit beside the checkout; SEAL_COUNTER_FIXTURES names them elsewhere. */
function fixturesDir(env: NodeJS.ProcessEnv): string {
  return env.SEAL_COUNTER_FIXTURES ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'fixtures');
}

export const TRAINING_COMMANDS: readonly Command[] = [
  defineCommand({
    name: 'training-db',
    synopsis: 'PATH',
    help: `写一个培训用的数据文件：示例名单、设置与基础数据，前两个办证日已签章并日结的办证，今天日结后签章的两次办证（其一有已确认的警告，其一为补办），以及一个已导入名册、尚未签章的办证。以 JSON 输出各办证编号。培训账户：${TRAINING_ACCOUNT.username} / ${TRAINING_ACCOUNT.password}。`,
    options: {},
    positionals: { min: 1, names: 'PATH' },
    run: async ({ positionals: [path], env }) => {
      const visits = await writeTrainingDb(resolve(path!), fixturesDir(env), clockFromEnvironment(env)());
      console.log(JSON.stringify({ visits, account: { username: TRAINING_ACCOUNT.username, password: TRAINING_ACCOUNT.password } }));
      return EXIT_OK;
    },
  }),
];
