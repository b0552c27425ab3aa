import { Command } from '@oclif/core';

export default class Push extends Command {
  static description = 'push tasks';

  async run() {
    if (!process.env.TASKS_TOKEN) this.error('not logged in (set TASKS_TOKEN)', { exit: 3, code: 'auth' });
    this.log('pushed');
  }
}
