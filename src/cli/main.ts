/**
 * `bountybot` command line. Each command lives in its own file and registers itself here.
 * The one place errors become exit codes (`exitCodeOf`): 0 success, 1 runtime failure, 2 bad
 * input (config, arguments, environment). Commands throw; they never catch to re-wrap.
 */
import { Command, CommanderError } from 'commander';
import { BountybotError, ExitCode, exitCodeOf } from '../autoscaling/errors.js';
import { registerDemo } from './demo.js';
import { registerForecast } from './forecast.js';
import { registerWorker } from './worker.js';
import { registerRun } from './run.js';
import { registerLoad } from './load.js';
import { registerStart } from './start.js';
import { registerSimulate } from './simulate.js';
import { registerQueue } from './queue.js';
import { registerTune } from './tune.js';
import { registerManifests } from './manifests.js';
import { registerReplay } from './replay.js';

export interface ProgramOutput {
  /** Where commander's own errors and help go; default process.stderr / process.stdout. */
  writeErr?: (text: string) => void;
  writeOut?: (text: string) => void;
}

export function buildProgram(output: ProgramOutput = {}): Command {
  const program = new Command();
  const writeErr = output.writeErr ?? ((t: string) => { process.stderr.write(t); });
  const writeOut = output.writeOut ?? ((t: string) => { process.stdout.write(t); });
  program
    .name('bountybot')
    .description('BountyBot Autoscaler: forecast validation workload and size the worker fleet within budget')
    .configureOutput({
      writeOut, writeErr,
      // One line, in the same shape as every other error: "bountybot: <what is wrong>".
      outputError: (text, write) => write(`bountybot: ${text.replace(/^error: /, '').trim()} (see --help)\n`),
    })
    .exitOverride();
  registerDemo(program);
  registerWorker(program);
  registerRun(program);
  registerLoad(program);
  registerStart(program);
  registerForecast(program);
  registerSimulate(program);
  registerQueue(program);
  registerTune(program);
  registerManifests(program);
  registerReplay(program);
  // Sub-commands (and theirs: `queue stats`) inherit neither output nor exitOverride from the program: copy them.
  const inherit = (parent: Command): void => {
    for (const cmd of parent.commands) {
      cmd.configureOutput(program.configureOutput()).exitOverride();
      inherit(cmd);
    }
  };
  inherit(program);
  return program;
}

/** Runs the CLI; resolves with the process exit code. Never throws. */
export async function main(argv: readonly string[], output: ProgramOutput = {}): Promise<number> {
  const program = buildProgram(output);
  const writeErr = output.writeErr ?? ((t: string) => { process.stderr.write(t); });
  try {
    await program.parseAsync([...argv]);
    return ExitCode.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has printed its message already (help, version, or the one-line error).
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (err instanceof BountybotError) writeErr(`bountybot: ${err.message}\n`);
    else writeErr(`bountybot: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return exitCodeOf(err);
  }
}

export { UsageError } from '../autoscaling/errors.js';
