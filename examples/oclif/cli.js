#!/usr/bin/env node
// `tasks`, the same small CLI written with oclif, instrumented with cmdtel/oclif.
//   tasks task add <title> [--priority <n>] | task done <id> | sync push | cache:clear | telemetry [action]
// oclif reads its settings from package.json; they are given inline here so
// the example needs no package.json of its own.
import * as oclif from '@oclif/core';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOclif } from 'cmdtel/oclif';
import { telemetry } from './telemetry.js';

const pjson = {
  name: 'tasks',
  version: '2.0.1',
  type: 'module',
  oclif: { bin: 'tasks', commands: './commands', topicSeparator: ' ' },
};
await runOclif(oclif, telemetry, { dir: { root: dirname(fileURLToPath(import.meta.url)), pjson } });
