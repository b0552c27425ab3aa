#!/usr/bin/env node
// `tasks`, a small commander CLI instrumented with cmdtel/commander.
//   tasks task add <title> [--priority <n>] | task done <id> | sync push | cache:clear | telemetry status|enable|disable
import { Command, InvalidArgumentError } from 'commander';
import { createTelemetry } from 'cmdtel';
import { runCommander } from 'cmdtel/commander';
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
const program = new Command('tasks').version('2.0.1').description('A tiny task list');

const task = program.command('task').description('manage tasks');
task
  .command('add <title>')
  .option('--priority <n>', 'priority 1-5', (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 5) throw new InvalidArgumentError('must be 1-5');
    return n;
  })
  .action((title) => console.log(`added "${title}"`));
task.command('done <id>').action((id) => {
  if (!/^\d+$/.test(id)) throw new CliError(`no task ${id}`, 4, 'not_found');
  console.log(`done ${id}`);
});
program
  .command('sync')
  .command('push')
  .action(async () => {
    if (!process.env.TASKS_TOKEN) throw new CliError('not logged in (set TASKS_TOKEN)', 3, 'auth');
    console.log('pushed');
  });

// A colon-named command, as many published CLIs write them: recorded as cache / clear.
program.command('cache:clear').action(() => console.log('cache cleared'));

// What users run to see and control what is sent; its exit code (2 for an unknown action) is kept.
program
  .command('telemetry')
  .description('show or change telemetry: status | enable | disable')
  .argument('[action]', 'status, enable or disable', 'status')
  .action((action) => {
    process.exitCode = runTelemetryCommand(telemetry, action, { cliName: 'tasks' });
  });

await runCommander(program, telemetry, process.argv);
