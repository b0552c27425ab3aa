// An invocation ends when the process really ends: an action that leaves work running and exits
// later is recorded with the process's real exit code and a duration that covers the late work.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, tempDir } from '../helpers/paths.js';
import { cleanEnv, runNode } from '../helpers/run-node.js';

const cli = join(repoRoot, 'test', 'fixtures', 'late-exit-cli.js');
const CASES = [
  { args: ['exit-later'], exitCode: 1, command: 'exit-later', subcommand: '', outcome: 'error' },
  { args: ['code-later'], exitCode: 4, command: 'code-later', subcommand: '', outcome: 'error' },
  { args: ['zero-later'], exitCode: 0, command: 'zero-later', subcommand: '', outcome: 'ok' },
  { args: ['db:migrate'], exitCode: 3, command: 'db', subcommand: 'migrate', outcome: 'error' },
];

for (const delivery of ['background', 'inline']) {
  test(`late exits are recorded with the real exit code (${delivery} delivery, file sink)`, async (t) => {
    const dir = tempDir(t);
    for (const [i, c] of CASES.entries()) {
      const file = join(dir, `${i}.jsonl`);
      const result = await runNode(cli, c.args, {
        env: cleanEnv({ LATE_TELEMETRY_FILE: file, LATE_CONFIG_DIR: join(dir, 'cfg'), LATE_TELEMETRY_DELIVERY: delivery }),
      });
      assert.equal(result.code, c.exitCode, `process exit code of ${c.args}`);
      const events = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      assert.equal(events.length, 1, `exactly one event for ${c.args}`);
      const [event] = events;
      assert.equal(event.command, c.command);
      assert.equal(event.subcommand, c.subcommand);
      assert.equal(event.exit_code, c.exitCode);
      assert.equal(event.outcome, c.outcome);
      assert.ok(event.duration_ms >= 140, `duration ${event.duration_ms} ms covers the late work`);
    }
  });
}
