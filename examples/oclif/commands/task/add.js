import { Args, Command, Flags } from '@oclif/core';

export default class Add extends Command {
  static description = 'add a task';
  static args = { title: Args.string({ required: true }) };
  static flags = { priority: Flags.integer({ min: 1, max: 5 }) };

  async run() {
    const { args } = await this.parse(Add);
    this.log(`added "${args.title}"`);
  }
}
