#!/usr/bin/env node
// `tasks`, the same small CLI written with yargs, instrumented with cmdtel/yargs.
//   tasks task add <title> [--priority <n>] | task done <id> | sync push | cache:clear | telemetry [action]
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { createTelemetry } from 'cmdtel';
import { runYargs } from 'cmdtel/yargs';
import { runTelemetryCommand } from 'cmdtel/user-controls';

/** A failure the user can act on: its exit code and a coarse class for telemetry. */
class CliError extends Error {
  constructor(message, exitCode, errorClass) {
    super(message);
    this.exitCode = exitCode;
    this.errorClass = errorClass;
  }
}

const telemetry = createTelemetry({ name: 'tasks', version: '2.0.1', userControls: true });
const cli = yargs(hideBin(process.argv))
  .scriptName('tasks')
  .strict()
  .showHelpOnFail(false)
  .demandCommand(1)
  .command('task', 'manage tasks', (y) =>
    y
      .command(
        'add <title>',
        'add a task',
        (a) => a.option('priority', { type: 'number', choices: [1, 2, 3, 4, 5] }),
        (argv) => console.log(`added "${argv.title}"`),
      )
      .command('done <id>', 'complete a task', {}, (argv) => {
        if (!/^\d+$/.test(String(argv.id))) throw new CliError(`no task ${argv.id}`, 4, 'not_found');
        console.log(`done ${argv.id}`);
      })
      .demandCommand(1),
  )
  .command('sync', 'synchronise', (y) =>
    y
      .command('push', 'push tasks', {}, async () => {
        if (!process.env.TASKS_TOKEN) throw new CliError('not logged in (set TASKS_TOKEN)', 3, 'auth');
        console.log('pushed');
      })
      .demandCommand(1),
  )
  // A colon-named command: recorded as cache / clear.
  .command('cache:clear', 'clear the cache', {}, () => console.log('cache cleared'))
  .command('telemetry [action]', 'show or change telemetry: status | enable | disable', {}, (argv) => {
    process.exitCode = runTelemetryCommand(telemetry, argv.action, { cliName: 'tasks' });
  });

await runYargs(cli, telemetry);
