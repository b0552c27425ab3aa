import vendors from 'ci-info/vendors.json' with { type: 'json' };
import type { Env } from './env-names.js';

/**
 * Which CI service runs the command, from ci-info's vendor table (bundled at
 * build time: docs/design.md says why the table and not ci-info's module).
 * The recorded name is the vendor's constant in lowercase with `-` for `_`
 * (`GITHUB_ACTIONS` → `github-actions`), or `other` for a CI run no vendor
 * entry matches — so the value set is exactly the table's plus one.
 */

/** One condition of a vendor entry, in ci-info's own format. */
type Condition = string | { env: string; includes: string } | { any: string[] } | Record<string, string>;

interface VendorEntry {
  readonly constant: string;
  readonly env: Condition | Condition[];
}

const VENDORS = vendors as readonly VendorEntry[];

/** The name for a CI run that no vendor entry matches. */
export const OTHER_CI = 'other';

/**
 * The variables that mean "some CI" without naming the vendor, the same list
 * ci-info checks (TeamCity's and Jenkins' build numbers, the generic `CI`, ...).
 */
const GENERIC_CI_VARIABLES = ['BUILD_ID', 'BUILD_NUMBER', 'CI', 'CI_APP_ID', 'CI_BUILD_ID', 'CI_BUILD_NUMBER', 'CI_NAME', 'CONTINUOUS_INTEGRATION', 'RUN_ID'];

let ciNamesList: readonly string[] | undefined;

/**
 * Every name this dimension can take for a CI run. A function, not a constant: computed on
 * first use (by the sender, which checks spooled values), never by a command's load of the bundle.
 */
export function ciNames(): readonly string[] {
  ciNamesList ??= [...new Set(VENDORS.map((vendor) => ciToken(vendor.constant))), OTHER_CI];
  return ciNamesList;
}

/**
 * The CI vendor's token, `other` for an unrecognised CI, or undefined when
 * this is not a CI run. `CI=false` says "not CI" whatever else is set, as
 * ci-info has it; when several vendors match, the table's last one wins, also
 * as ci-info has it.
 */
export function detectCi(env: Env): string | undefined {
  if (env.CI === 'false') return undefined;
  let vendor: string | undefined;
  for (const entry of VENDORS) {
    const conditions = Array.isArray(entry.env) ? entry.env : [entry.env];
    if (conditions.every((condition) => holds(env, condition))) vendor = entry.constant;
  }
  if (vendor !== undefined) return ciToken(vendor);
  return GENERIC_CI_VARIABLES.some((name) => isSet(env, name)) ? OTHER_CI : undefined;
}

/** `GITHUB_ACTIONS` → `github-actions`. */
export function ciToken(constant: string): string {
  return constant.toLowerCase().replaceAll('_', '-');
}

/**
 * One condition of ci-info's format: a variable that is set; `{ env, includes }`,
 * a variable containing a text; `{ any: [...] }`, one of several set; or
 * `{ NAME: value, ... }`, exact values. A shape this code does not know never
 * matches, so a newer table can only make detection fall back to `other`.
 */
function holds(env: Env, condition: Condition): boolean {
  if (typeof condition === 'string') return isSet(env, condition);
  if (typeof condition !== 'object' || condition === null) return false;
  if ('env' in condition && 'includes' in condition) {
    const value = env[condition.env as string];
    return value !== undefined && value.includes(condition.includes as string);
  }
  if ('any' in condition) return Array.isArray(condition.any) && condition.any.some((name) => isSet(env, name));
  const pairs = Object.entries(condition);
  return pairs.length > 0 && pairs.every(([name, value]) => typeof value === 'string' && env[name] === value);
}

function isSet(env: Env, name: string): boolean {
  const value = env[name];
  return value !== undefined && value !== '';
}
