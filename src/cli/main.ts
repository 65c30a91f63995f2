/**
 * `bountybot` command line. Each command lives in its own file and registers itself here.
 * Exit codes: 0 success, 1 runtime failure, 2 bad input (config, arguments, environment).
 */
import { Command, CommanderError } from 'commander';
import { UsageError } from '../autoscaling/errors.js';
import { registerDemo } from './demo.js';
import { registerForecast } from './forecast.js';
import { registerWorker } from './worker.js';
import { registerRun } from './run.js';
import { registerLoad } from './load.js';
import { registerStart } from './start.js';
import { registerSimulate } from './simulate.js';
import { registerReplay } from './replay.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('bountybot')
    .description('BountyBot Autoscaler: forecast validation workload and size the worker fleet within budget')
    .showHelpAfterError()
    .exitOverride();
  registerDemo(program);
  registerWorker(program);
  registerRun(program);
  registerLoad(program);
  registerStart(program);
  registerForecast(program);
  registerSimulate(program);
  registerReplay(program);
  return program;
}

export { UsageError };

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`bountybot: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`bountybot: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}
