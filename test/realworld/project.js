// The temporary project the real-world suite runs in: published CLIs from the npm registry at
// exact versions, installed next to the packed cmdtel tarball, each with a plain entry point (the
// CLI as published) and an instrumented one (the same CLI with the few lines docs/integrations.md
// shows). setup.mjs builds it; the test files only read it.
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv } from '../helpers/run-node.js';

/** One directory per machine user, rebuilt from scratch by every `npm run test:realworld`. */
export const projectDir = join(tmpdir(), 'cmdtel-realworld');

/** The published CLIs, pinned. */
export const CLIS = {
  knex: { pkg: 'knex', version: '3.3.0', framework: 'commander 10 (knex depends on ^10)' },
  sequelize: { pkg: 'sequelize-cli', version: '6.6.5', framework: 'yargs 16 (sequelize-cli depends on ^16.2.0)' },
  oclif: { pkg: 'oclif', version: '4.22.82', framework: '@oclif/core 4' },
};
/** What the CLIs need to run offline: knex's pg driver (pure JS) and sequelize-cli's ORM peer. */
export const SUPPORT_PINS = ['pg@8.16.3', 'sequelize@6.37.8'];
/**
 * The frameworks the CLIs bring, pinned through npm `overrides` where the CLIs' own ranges would
 * let them float (`^10.0.0`, `^16.2.0`, `^4.8.0`, ...), so every machine runs the same code.
 */
export const FRAMEWORK_OVERRIDES = {
  commander: '10.0.1',
  yargs: '16.2.2',
  '@oclif/core': '4.8.4',
  '@oclif/plugin-help': '6.3.0',
  '@oclif/plugin-not-found': '3.3.0',
  '@oclif/plugin-warn-if-update-available': '3.2.0',
};

/** The CLI as published and as instrumented, both reached through a link named like its bin. */
export const plainBin = (name) => join(projectDir, 'bin-plain', name);
export const instrumentedBin = (name) => join(projectDir, 'bin-cmdtel', name);

/** The installed version of a package in the project, to check the pins took. */
export function installedVersion(pkg) {
  const file = join(projectDir, 'node_modules', pkg, 'package.json');
  if (!existsSync(file)) throw new Error(`${pkg} is not installed in the real-world project: run npm run test:realworld`);
  return JSON.parse(readFileSync(file, 'utf8')).version;
}

/**
 * The environment of every run, plain and instrumented alike: no ambient telemetry settings, a
 * home of its own, and oclif's update check (a detached registry query) off.
 */
export function runEnv(extra = {}) {
  return cleanEnv({ HOME: join(projectDir, 'home'), OCLIF_SKIP_NEW_VERSION_CHECK: 'true', ...extra });
}
