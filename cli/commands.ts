import { HUB_COMMANDS } from '../hub/cli';
import type { CommandGroup } from './command';
import { PRINT_COMMANDS } from './print';
import { STOCK_COMMANDS } from './stock';
import { TRAINING_COMMANDS } from './training';
import { SUPERVISION_COMMANDS } from './supervision';
import { WORKSTATION_COMMANDS } from './workstation';
import { APPLICATION_COMMANDS } from './applications';

/** Every command of `seal-counter`, grouped as `--help` lists them. */
export const COMMAND_GROUPS: readonly CommandGroup[] = [
  {
    title: '签章窗口（工作站）：',
    commands: [...WORKSTATION_COMMANDS, ...TRAINING_COMMANDS, ...PRINT_COMMANDS, ...SUPERVISION_COMMANDS],
    footer: '数据文件默认在用户数据目录，可用 --db PATH 或环境变量 SEAL_COUNTER_DB 指定。',
  },
  { title: '证书库存：', commands: STOCK_COMMANDS },
  { title: '补办、省外证书确认与取消资格：', commands: APPLICATION_COMMANDS },
  { title: '集中服务器（省厅）：', commands: HUB_COMMANDS },
];
