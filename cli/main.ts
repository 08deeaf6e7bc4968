import { runCommandLine } from './command';
import { COMMAND_GROUPS } from './commands';

// `seal-counter verify-roster … | head` closes the pipe early; that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await runCommandLine(COMMAND_GROUPS, process.argv.slice(2), process.env);
