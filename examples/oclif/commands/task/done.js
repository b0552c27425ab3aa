import { Args, Command } from '@oclif/core';

export default class Done extends Command {
  static description = 'complete a task';
  static args = { id: Args.string({ required: true }) };

  async run() {
    const { args } = await this.parse(Done);
    // `code` becomes the recorded error class; `exit` the exit code.
    if (!/^\d+$/.test(args.id)) this.error(`no task ${args.id}`, { exit: 4, code: 'not_found' });
    this.log(`done ${args.id}`);
  }
}
