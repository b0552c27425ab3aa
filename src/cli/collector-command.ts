import { readFileSync } from 'node:fs';
import { packageFile } from './package-files.js';

/** The collector configurations shipped in collector-config/, by name. */
export const COLLECTOR_CONFIGS = ['local', 'gateway-prometheus', 'sls'] as const;

export const COLLECTOR_USAGE = `usage: cmdtel collector list
       cmdtel collector config NAME       print a shipped collector configuration
       cmdtel collector manifest          print the collector builder (ocb) manifest
       cmdtel collector path NAME|manifest

NAME is one of: ${COLLECTOR_CONFIGS.join(', ')}. The configurations run as they are on an official
otelcol-contrib (0.161 or newer) or on the slim build of the manifest; see docs/collector.md.
`;

function fileFor(name: string | undefined): string | undefined {
  if (name === 'manifest') return packageFile('collector-config/builder-config.yaml');
  if ((COLLECTOR_CONFIGS as readonly string[]).includes(name ?? '')) return packageFile(`collector-config/${name}.yaml`);
  return undefined;
}

/**
 * `cmdtel collector …`: gives an operator who installed only the package the collector
 * configurations and the builder manifest, printed (to redirect into a file) or as a path
 * (to pass to `--config`). Returns the exit code.
 */
export function collectorCommand(args: string[]): number {
  const [action, name, ...extra] = args;
  if (action === 'list' && name === undefined) {
    const lines = COLLECTOR_CONFIGS.map((config) => `config    ${config.padEnd(20)} ${packageFile(`collector-config/${config}.yaml`)}`);
    lines.push(`manifest  ${'builder-config'.padEnd(20)} ${packageFile('collector-config/builder-config.yaml')}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  }
  if (extra.length === 0) {
    if (action === 'manifest' && name === undefined) {
      process.stdout.write(readFileSync(packageFile('collector-config/builder-config.yaml'), 'utf8'));
      return 0;
    }
    const file = action === 'config' ? (name === 'manifest' ? undefined : fileFor(name)) : action === 'path' ? fileFor(name) : undefined;
    if (file !== undefined) {
      process.stdout.write(action === 'path' ? `${file}\n` : readFileSync(file, 'utf8'));
      return 0;
    }
  }
  process.stderr.write(COLLECTOR_USAGE);
  return 2;
}
