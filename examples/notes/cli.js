#!/usr/bin/env node
// `notes`: a small real CLI instrumented with cmdtel, the way a CLI author would.
//   notes note add <text...> | note list | note rm <id> | sync push | sync pull
// Data lives in NOTES_HOME (default ~/.notes/data). `sync` pretends to talk to a
// server: it takes NOTES_SYNC_DELAY_MS (default 50) and needs NOTES_TOKEN.
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTelemetry, UNKNOWN_MARKER } from 'cmdtel';

const COMMANDS = {
  note: { add: addNote, list: listNotes, rm: removeNote },
  sync: { push: sync, pull: sync },
};

/** A failure the user can act on: its exit code and a coarse class for telemetry. */
class CliError extends Error {
  constructor(message, exitCode, errorClass) {
    super(message);
    this.exitCode = exitCode;
    this.errorClass = errorClass;
  }
}

const telemetry = createTelemetry({ name: 'notes', version: '1.4.2' });
const [noun, verb, ...args] = process.argv.slice(2);
const group = Object.hasOwn(COMMANDS, noun ?? '') ? COMMANDS[noun] : undefined;
const action = group && Object.hasOwn(group, verb ?? '') ? group[verb] : undefined;

// Only names from the CLI's own command table are recorded; what the user
// typed for an unknown command is user input and stays here.
const invocation = telemetry.start({
  command: group ? noun : UNKNOWN_MARKER,
  subcommand: group ? (action ? verb : UNKNOWN_MARKER) : undefined,
});

let exitCode = 0;
let errorClass;
try {
  if (!action) throw new CliError('usage: notes note add|list|rm ... | notes sync push|pull', 2, 'usage');
  await action(args);
} catch (error) {
  exitCode = error instanceof CliError ? error.exitCode : 70;
  errorClass = error instanceof CliError ? error.errorClass : 'internal';
  process.stderr.write(`notes: ${error.message}\n`);
}
invocation.end({ exitCode, errorClass });
await telemetry.shutdown();
process.exitCode = exitCode;

function dataFile() {
  const home = process.env.NOTES_HOME || join(homedir(), '.notes', 'data');
  mkdirSync(home, { recursive: true });
  return join(home, 'notes.jsonl');
}

function readNotes() {
  try {
    return readFileSync(dataFile(), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  } catch (error) {
    if (error.code === 'ENOENT') return [];
    throw error;
  }
}

async function addNote(words) {
  if (words.length === 0) throw new CliError('note add needs some text', 2, 'validation');
  const id = Math.random().toString(36).slice(2, 8);
  appendFileSync(dataFile(), `${JSON.stringify({ id, text: words.join(' ') })}\n`);
  console.log(`added ${id}`);
}

async function listNotes() {
  for (const note of readNotes()) console.log(`${note.id}  ${note.text}`);
}

async function removeNote([id]) {
  if (!id) throw new CliError('note rm needs an id', 2, 'validation');
  const notes = readNotes();
  const kept = notes.filter((note) => note.id !== id);
  if (kept.length === notes.length) throw new CliError(`no note ${id}`, 1, 'not_found');
  writeFileSync(dataFile(), kept.map((note) => `${JSON.stringify(note)}\n`).join(''));
  console.log(`removed ${id}`);
}

async function sync() {
  await sleep(Number(process.env.NOTES_SYNC_DELAY_MS ?? 50));
  if (!process.env.NOTES_TOKEN) throw new CliError('not logged in (set NOTES_TOKEN)', 3, 'auth');
  console.log('in sync');
}
