import { z } from 'zod';
import { type CallSpecs } from './shared';

export const BACKGROUND_TASKS = ['backup', 'sync', 'day-close', 'file-check', 'host', 'call'] as const;
export type BackgroundTask = (typeof BACKGROUND_TASKS)[number];
export const LOG_LEVELS = ['info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const LogEntrySchema = z.object({
  /** The office's local time with its offset. */
  time: z.string(),
  level: z.enum(LOG_LEVELS),
  task: z.string(),
  /** One Chinese sentence. */
  message: z.string(),
  /** The technical detail (exception and stack) for whoever supports the office; null when there is none. */
  detail: z.string().nullable(),
});

const TaskFailureSchema = z.object({
  task: z.enum(BACKGROUND_TASKS),
  /** The task's Chinese name, e.g. 自动备份. */
  label: z.string(),
  message: z.string(),
  at: z.string(),
});

/** The app's log file, for the administrator, and the background failures the header keeps showing. */
export const logCalls = {
  'log.recent': {
    access: 'admin',
    request: z.object({ limit: z.number().int().min(1, '条数至少为 1').max(2000, '一次最多读取 2000 条').default(200), minLevel: z.enum(LOG_LEVELS).default('info') }),
    response: z.object({ dir: z.string(), entries: z.array(LogEntrySchema) }),
  },
  'log.failures': { access: 'clerk', request: z.object({}), response: z.array(TaskFailureSchema) },
} as const satisfies CallSpecs;

export type LogEntry = z.infer<typeof LogEntrySchema>;
export type TaskFailure = z.infer<typeof TaskFailureSchema>;
