import { Command } from '@oclif/core';

export default class Clear extends Command {
  static description = 'clear the cache';

  async run() {
    this.log('cache cleared');
  }
}
