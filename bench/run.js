#!/usr/bin/env node
// Every claim in one interleaved run (shared rows timed once), printed and
// written to docs/benchmarks.md. `npm run bench` builds first.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { variants as background } from './background-delivery.js';
import { variants as inline } from './inline-overhead.js';
import { roundsFromEnv } from './lib/claim.js';
import { runBench } from './lib/harness.js';
import { findings, phaseTable, referenceNotes, renderPage, textTable } from './lib/page.js';
import { measurePhases } from './lib/phases.js';
import { variants as explained } from './where-time-goes.js';

const PAGE = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));

const variants = [...new Set([...inline, ...background])];
const started = Date.now();
const loadBefore = loadavg();
const { results, senders, rounds } = await runBench(variants, { rounds: roundsFromEnv(), log: (line) => process.stderr.write(`${line}\n`) });
process.stderr.write('where the time goes...\n');
const breakdown = await measurePhases(explained);
writeFileSync(PAGE, renderPage({ results, breakdown, senders, rounds, loadBefore, elapsedMs: Date.now() - started }));
process.stdout.write(`${textTable(results)}\n\n${phaseTable(breakdown)}\n`);
for (const note of [...findings(results), ...referenceNotes(results)]) process.stdout.write(`${note}\n`);
process.stdout.write('written: docs/benchmarks.md\n');
