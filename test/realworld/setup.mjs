// Builds the real-world project (see project.js): packs cmdtel, installs it with the pinned
// published CLIs from the npm registry into a fresh directory under os.tmpdir(), and writes each
// CLI's instrumented entry point beside its published one.
//
// The instrumentation is what a CLI's maintainer would write, with the documented calls:
// - knex and sequelize-cli build their program and parse it in their bin file, exporting nothing.
//   Their instrumented bin is the published file with the parse line replaced by the adapter
//   call (`commander.parse(process.argv)` → `runCommander(commander, telemetry, process.argv)`;
//   yargs' `.argv` → `runYargs(..., telemetry)`) and three lines that create the telemetry.
// - oclif's bin only calls `execute({ dir })`: the instrumented bin calls `runOclif` instead.
// Each edit must match the published text exactly once, so a changed upstream file fails loudly.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLIS, FRAMEWORK_OVERRIDES, instrumentedBin, plainBin, projectDir, SUPPORT_PINS } from './project.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function npm(args, cwd) {
  try {
    return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
  } catch (error) {
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${error.stdout}\n${error.stderr}`);
  }
}

/** `text` with `from` replaced by `to`, which must occur exactly once. */
function replaceOnce(text, from, to, where) {
  const count = text.split(from).length - 1;
  if (count !== 1) throw new Error(`${where}: expected the published text ${JSON.stringify(from)} once, found it ${count} times`);
  return text.replace(from, () => to);
}

function telemetryLines(name, pkgJsonFromBin) {
  return [
    `const { createTelemetry } = require('cmdtel');`,
    `const telemetry = createTelemetry({ name: '${name}', version: require('${pkgJsonFromBin}').version });`,
  ].join('\n');
}

const INSTRUMENT = {
  knex: {
    published: 'bin/cli.js',
    instrumented: 'bin/cli-cmdtel.js',
    edit: (source, where) => {
      const withTelemetry = replaceOnce(
        source,
        "const commander = require('commander');\n",
        `const commander = require('commander');\n${telemetryLines('knex', '../package.json')}\nconst { runCommander } = require('cmdtel/commander');\n`,
        where,
      );
      return replaceOnce(withTelemetry, 'commander.parse(process.argv);', 'runCommander(commander, telemetry, process.argv);', where);
    },
  },
  sequelize: {
    published: 'lib/sequelize',
    instrumented: 'lib/sequelize-cmdtel',
    edit: (source, where) => {
      const withTelemetry = replaceOnce(
        source,
        '"use strict";\n',
        `"use strict";\n${telemetryLines('sequelize', '../package.json')}\nconst { runYargs } = require('cmdtel/yargs');\n`,
        where,
      );
      const wrapped = replaceOnce(withTelemetry, 'yargs.help().version()', 'runYargs(yargs.help().version()', where);
      return replaceOnce(wrapped, '.recommendCommands().argv;', '.recommendCommands(), telemetry);', where);
    },
  },
  oclif: {
    published: 'bin/run.js',
    instrumented: 'bin/run-cmdtel.js',
    edit: (source, where) =>
      replaceOnce(
        source,
        '  await oclif.execute({dir: __dirname})\n',
        [
          `  ${telemetryLines('oclif', '../package.json').replaceAll('\n', '\n  ')}`,
          `  const { runOclif } = require('cmdtel/oclif')`,
          `  await runOclif(oclif, telemetry, { dir: __dirname })`,
          '',
        ].join('\n'),
        where,
      ),
  },
};

const started = Date.now();
rmSync(projectDir, { recursive: true, force: true });
mkdirSync(join(projectDir, 'home'), { recursive: true });
const [{ filename }] = JSON.parse(npm(['pack', '--json', '--pack-destination', projectDir], repoRoot));
writeFileSync(join(projectDir, 'package.json'), JSON.stringify({ name: 'cmdtel-realworld', private: true, overrides: FRAMEWORK_OVERRIDES }, null, 2));
const pins = [...Object.values(CLIS).map(({ pkg, version }) => `${pkg}@${version}`), ...SUPPORT_PINS];
npm(['install', '--no-audit', '--no-fund', '--save-exact', join(projectDir, filename), ...pins], projectDir);

for (const [name, { pkg }] of Object.entries(CLIS)) {
  const { published, instrumented, edit } = INSTRUMENT[name];
  const pkgDir = join(projectDir, 'node_modules', pkg);
  const where = `${pkg}/${published}`;
  writeFileSync(join(pkgDir, instrumented), edit(readFileSync(join(pkgDir, published), 'utf8'), where));
  // Links named like the bin, so the CLIs print the same program name in both variants.
  for (const [link, target] of [
    [plainBin(name), published],
    [instrumentedBin(name), instrumented],
  ]) {
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(pkgDir, target), link);
  }
}
console.log(`real-world project ready in ${Math.round((Date.now() - started) / 1000)} s: ${pins.join(', ')}, ${filename}`);
