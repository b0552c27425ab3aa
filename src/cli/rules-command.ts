import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { packageFile } from './package-files.js';

export const RULES_USAGE = `usage: cmdtel rules [--params FILE] [--set KEY=VALUE]... [--out FILE]
       cmdtel rules --print-params

Renders cmdtel's Prometheus alerting rules with your thresholds (standard output, or --out FILE).
Starts from the shipped defaults (alerts/params.json; --print-params shows them); --params FILE
overrides any part of them (a partial JSON object is enough) and --set overrides one value by its
dotted key, for example --set errorRate.threshold=0.02 --set latency.thresholdSeconds=5.
Unknown keys and out-of-range values are refused. docs/dashboards.md explains each rule.
`;

type Params = Record<string, unknown>;
interface Renderer {
  validateParams(params: Params): Params;
  renderRules(params: Params): string;
}

const isObject = (value: unknown): value is Params => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Lays `override` over `base`, refusing keys that `base` does not have (a typo must not pass silently). */
export function overlayParams(base: Params, override: unknown, where = ''): Params {
  if (!isObject(override)) throw new Error(`params${where ? ` ${where}` : ''} must be a JSON object`);
  const result: Params = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const path = where ? `${where}.${key}` : key;
    if (!(key in base)) throw new Error(`params: unknown key ${path}`);
    result[key] = isObject(base[key]) ? overlayParams(base[key], value, path) : value;
  }
  return result;
}

/** `errorRate.threshold=0.02` → `{ errorRate: { threshold: 0.02 } }`; the value is JSON when it parses, else a string. */
export function parseSetting(setting: string): Params {
  const at = setting.indexOf('=');
  if (at <= 0) throw new Error(`--set needs KEY=VALUE, got ${JSON.stringify(setting)}`);
  const keys = setting.slice(0, at).split('.');
  const text = setting.slice(at + 1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = text;
  }
  return keys.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Params;
}

/**
 * `cmdtel rules …`: renders the shipped alert rules (alerts/render.mjs) with an operator's
 * thresholds, so the package alone is enough to tune them. Returns the exit code.
 */
export async function rulesCommand(args: string[]): Promise<number> {
  let parsed: { values: { params?: string; set?: string[]; out?: string; 'print-params'?: boolean; help?: boolean } };
  try {
    parsed = parseArgs({
      args,
      options: {
        params: { type: 'string' },
        set: { type: 'string', multiple: true },
        out: { type: 'string', short: 'o' },
        'print-params': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    process.stderr.write(`cmdtel: ${(error as Error).message}\n${RULES_USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(RULES_USAGE);
    return 0;
  }
  const defaults = JSON.parse(readFileSync(packageFile('alerts/params.json'), 'utf8')) as Params;
  if (parsed.values['print-params']) {
    process.stdout.write(`${JSON.stringify(defaults, null, 2)}\n`);
    return 0;
  }
  const renderer = (await import(pathToFileURL(packageFile('alerts/render.mjs')).href)) as Renderer;
  let text: string;
  try {
    let params = defaults;
    if (parsed.values.params !== undefined) {
      let fileText: string;
      try {
        fileText = readFileSync(parsed.values.params, 'utf8');
      } catch (error) {
        throw new Error(`cannot read ${parsed.values.params}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      params = overlayParams(params, JSON.parse(fileText));
    }
    for (const setting of parsed.values.set ?? []) params = overlayParams(params, parseSetting(setting));
    text = renderer.renderRules(renderer.validateParams(params));
  } catch (error) {
    process.stderr.write(`cmdtel: ${(error as Error).message}\n`);
    return 2;
  }
  if (parsed.values.out === undefined) {
    process.stdout.write(text);
    return 0;
  }
  try {
    writeFileSync(parsed.values.out, text);
  } catch (error) {
    process.stderr.write(`cmdtel: cannot write ${parsed.values.out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
    return 1;
  }
  return 0;
}
