import { Args, Command } from '@oclif/core';
import { runTelemetryCommand } from 'cmdtel/user-controls';
import { telemetry } from '../telemetry.js';

export default class Telemetry extends Command {
  static description = 'show or change telemetry: status | enable | disable';
  static args = { action: Args.string({ description: 'status, enable or disable' }) };

  async run() {
    const { args } = await this.parse(Telemetry);
    // The exit code (2 for an unknown action) is the process's and the recorded one.
    process.exitCode = runTelemetryCommand(telemetry, args.action, { cliName: 'tasks' });
  }
}
