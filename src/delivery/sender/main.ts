/**
 * The background sender: `node sender.js <spool root> <tuning>`. Started
 * detached by a command (spool/start-sender.ts); loads nothing of the host
 * CLI — everything it needs is in the spool directory. Never prints: its
 * stdio is closed. Its life is bounded by the tuning's idle and lifetime limits.
 */
import { parseTuning } from '../spool/tuning.js';
import { createSenderLog } from './log.js';
import { takeLowestPriority } from './lowest-priority.js';
import { runSender } from './run.js';

import { isAbsolute } from 'node:path';

const [root, tuningText] = process.argv.slice(2);
// Only an absolute spool path (commands always pass one): a relative one would mean our working directory.
if (root !== undefined && isAbsolute(root)) {
  takeLowestPriority();
  const log = createSenderLog(root);
  runSender(root, parseTuning(tuningText), log).then(
    () => process.exit(0),
    (error: unknown) => {
      log('exit', { why: 'crash', error: error instanceof Error ? error.message : String(error) });
      process.exit(1);
    },
  );
}
