#!/usr/bin/env node
/**
 * cmdtel-sls: applies cmdtel's SLS dashboard and four alert rules to an SLS project, with Alibaba
 * Cloud's official SDK (@alicloud/sls20201230).
 *
 *   ALIBABA_CLOUD_ACCESS_KEY_ID=… ALIBABA_CLOUD_ACCESS_KEY_SECRET=… \
 *     cmdtel-sls --endpoint cn-hangzhou.log.aliyuncs.com --project my-cli-telemetry --metricstore cli-invocations
 *   cmdtel-sls … --dry-run          # print the request bodies, contact nothing, need no credentials
 *
 * Idempotent: each object is read first and created when missing, updated only when a field this
 * command sets differs, and left alone otherwise; a second run changes nothing.
 *
 * Credentials come from the standard Alibaba Cloud environment variables only, never from
 * arguments, and are never printed (any output that would contain them is redacted).
 *
 * The SDK is loaded here, with a dynamic import, and nowhere else: nothing a CLI imports from
 * cmdtel ever loads it, and it is not a dependency of the package (an optional peer): install it
 * next to cmdtel to use this command.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { DEFAULT_PARAMS_FILE, loadParams } from '../alerts/render.mjs';
import { alertBodies, dashboardBody, DEFAULT_DASHBOARD_NAME, regionOfEndpoint } from './definitions.mjs';

export const SDK_PACKAGE = '@alicloud/sls20201230';

const USAGE = `Usage: cmdtel-sls --endpoint <endpoint> --project <project> --metricstore <metricstore> [options]

Creates or updates cmdtel's SLS dashboard and its four alert rules in an SLS project.

  --endpoint <host>        SLS endpoint, e.g. cn-hangzhou.log.aliyuncs.com
  --project <name>         SLS project holding the Metricstore
  --metricstore <name>     Metricstore the cmdtel gateway writes to
  --region <id>            region of the project (default: from the endpoint)
  --dashboard <name>       dashboard id (default: ${DEFAULT_DASHBOARD_NAME})
  --action-policy <id>     SLS action policy that notifies (default: none)
  --params <file>          thresholds and windows (default: cmdtel's alerts/params.json)
  --dry-run                print what would be sent; contact nothing, need no credentials
  --help                   this text

       cmdtel-sls probe --url <query API base>
Checks once that the Metricstore's PromQL evaluates every construct cmdtel's queries use, and says
which query set to use (docs/sls.md).

Credentials: ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET and, for STS tokens,
ALIBABA_CLOUD_SECURITY_TOKEN. They are never accepted as arguments.
Needs ${SDK_PACKAGE} installed (npm install ${SDK_PACKAGE}); --dry-run does not.
`;

const OPTIONS = {
  '--endpoint': 'endpoint',
  '--project': 'project',
  '--metricstore': 'metricstore',
  '--region': 'region',
  '--dashboard': 'dashboardName',
  '--action-policy': 'actionPolicyId',
  '--params': 'params',
};

/** A usage error: printed with the usage hint, exit code 2. */
export class UsageError extends Error {}

/**
 * Parses the arguments. Anything that looks like a credential is refused outright, so a key
 * never lands in shell history by way of this command.
 */
export function parseArgs(argv) {
  const out = { dryRun: false, help: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (/key|secret|token|password|credential/i.test(flag)) {
      throw new UsageError(
        `${flag}: credentials are read from ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET / ALIBABA_CLOUD_SECURITY_TOKEN only, never from arguments`,
      );
    }
    if (flag === '--dry-run') out.dryRun = true;
    else if (flag === '--help' || flag === '-h') out.help = true;
    else if (Object.hasOwn(OPTIONS, flag)) {
      if (inline === undefined) i += 1;
      const v = inline ?? argv[i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      out[OPTIONS[flag]] = v;
    } else throw new UsageError(`unknown argument ${JSON.stringify(flag)}`);
  }
  if (out.help) return out;
  for (const required of ['endpoint', 'project', 'metricstore']) {
    if (!out[required]) throw new UsageError(`--${required} is required`);
  }
  // An http:// endpoint is for a local stand-in (tests); SLS itself is always reached over https.
  const url = /^(https?):\/\/([^/]+)\/?$/.exec(out.endpoint);
  out.protocol = url ? url[1] : 'https';
  out.endpoint = url ? url[2] : out.endpoint;
  out.region ??= regionOfEndpoint(out.endpoint);
  if (!out.region) throw new UsageError('--region is required when the endpoint is not <region>.log.aliyuncs.com');
  out.dashboardName ??= DEFAULT_DASHBOARD_NAME;
  out.actionPolicyId ??= '';
  return out;
}

/** What the command would send: the dashboard and the alerts, as API bodies. */
export function plan(options) {
  const params = loadParams(options.params ?? DEFAULT_PARAMS_FILE);
  const target = {
    project: options.project,
    metricstore: options.metricstore,
    region: options.region,
    dashboardName: options.dashboardName,
    actionPolicyId: options.actionPolicyId,
  };
  return { dashboard: dashboardBody(params, target), alerts: alertBodies(params, target) };
}

/** The credentials from the environment; throws a UsageError naming the missing variable (never a value). */
export function credentialsFromEnv(env = process.env) {
  const accessKeyId = env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const accessKeySecret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  if (!accessKeyId) throw new UsageError('ALIBABA_CLOUD_ACCESS_KEY_ID is not set');
  if (!accessKeySecret) throw new UsageError('ALIBABA_CLOUD_ACCESS_KEY_SECRET is not set');
  const securityToken = env.ALIBABA_CLOUD_SECURITY_TOKEN || undefined;
  return { accessKeyId, accessKeySecret, securityToken };
}

/** JSON round trip: the SDK's models and SLS's answers compared as plain data. */
const plain = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

/**
 * True when every field of `desired` is present in `current` with an equal value (objects
 * compared field by field, recursively; arrays element by element). Fields SLS adds on its own
 * (create time, status, …) do not count as a difference.
 */
export function covers(current, desired) {
  if (Array.isArray(desired)) {
    return Array.isArray(current) && current.length === desired.length && desired.every((d, i) => covers(current[i], d));
  }
  if (desired !== null && typeof desired === 'object') {
    return current !== null && typeof current === 'object' && Object.entries(desired).every(([k, v]) => covers(current[k], v));
  }
  return isDeepStrictEqual(current, desired);
}

const notFound = (error) => error?.statusCode === 404;

/**
 * Creates or updates each object; returns [kind, name, 'created'|'updated'|'unchanged'][].
 * @param {object} sdk the imported SDK module
 * @param {object} client an SDK Client
 */
export async function apply(sdk, client, project, { dashboard, alerts }) {
  const results = [];
  let current;
  try {
    current = plain((await client.getDashboard(project, dashboard.dashboardName)).body);
  } catch (error) {
    if (!notFound(error)) throw error;
  }
  if (current === undefined) {
    await client.createDashboard(
      project,
      new sdk.CreateDashboardRequest({ body: new sdk.Dashboard({ ...dashboard, charts: dashboard.charts.map((c) => new sdk.Chart(c)) }) }),
    );
    results.push(['dashboard', dashboard.dashboardName, 'created']);
  } else if (!covers(current, dashboard)) {
    await client.updateDashboard(
      project,
      dashboard.dashboardName,
      new sdk.UpdateDashboardRequest({ ...dashboard, charts: dashboard.charts.map((c) => new sdk.Chart(c)) }),
    );
    results.push(['dashboard', dashboard.dashboardName, 'updated']);
  } else {
    results.push(['dashboard', dashboard.dashboardName, 'unchanged']);
  }
  for (const alert of alerts) {
    let existing;
    try {
      existing = plain((await client.getAlert(project, alert.name)).body);
    } catch (error) {
      if (!notFound(error)) throw error;
    }
    const { name, ...fields } = alert;
    if (existing === undefined) {
      await client.createAlert(project, new sdk.CreateAlertRequest(alert));
      results.push(['alert', name, 'created']);
    } else if (!covers(existing, fields)) {
      await client.updateAlert(project, name, new sdk.UpdateAlertRequest(fields));
      results.push(['alert', name, 'updated']);
    } else {
      results.push(['alert', name, 'unchanged']);
    }
  }
  return results;
}

/** Loads the SDK; a missing package becomes a UsageError that says how to install it. */
async function loadSdk() {
  try {
    return await import(SDK_PACKAGE);
  } catch (error) {
    if (error?.code === 'ERR_MODULE_NOT_FOUND' || error?.code === 'MODULE_NOT_FOUND') {
      throw new UsageError(`${SDK_PACKAGE} is not installed: npm install ${SDK_PACKAGE} (it is an optional peer of cmdtel, used by this command only)`);
    }
    throw error;
  }
}

/** Runs the command; returns the exit code. Output goes through `out`/`err`, redacted. */
export async function main(argv, { env = process.env, out = process.stdout, err = process.stderr } = {}) {
  if (argv[0] === 'probe') return (await import('./probe.mjs')).main(argv.slice(1), { env, out, err });
  const secrets = [env.ALIBABA_CLOUD_ACCESS_KEY_SECRET, env.ALIBABA_CLOUD_SECURITY_TOKEN].filter((s) => s && s.length >= 4);
  const redact = (text) => secrets.reduce((t, s) => t.split(s).join('[redacted]'), String(text));
  const print = (stream, text) => stream.write(`${redact(text)}\n`);
  let options;
  try {
    options = parseArgs(argv);
    if (options.help) {
      out.write(USAGE);
      return 0;
    }
    const bodies = plan(options);
    if (options.dryRun) {
      print(
        out,
        JSON.stringify(
          {
            endpoint: `${options.protocol}://${options.project}.${options.endpoint}`,
            project: options.project,
            dashboard: { get: `GET /dashboards/${bodies.dashboard.dashboardName}`, createOrUpdate: bodies.dashboard },
            alerts: bodies.alerts.map((a) => ({ get: `GET /alerts/${a.name}`, createOrUpdate: a })),
          },
          null,
          2,
        ),
      );
      return 0;
    }
    const credentials = credentialsFromEnv(env);
    const sdk = await loadSdk();
    const Client = sdk.default?.default ?? sdk.default;
    const client = new Client({
      ...credentials,
      endpoint: options.endpoint,
      protocol: options.protocol,
      regionId: options.region,
      connectTimeout: 10_000,
      readTimeout: 30_000,
    });
    const results = await apply(sdk, client, options.project, bodies);
    for (const [kind, name, what] of results) print(out, `${kind} ${name}: ${what}`);
    const changed = results.filter(([, , what]) => what !== 'unchanged').length;
    print(out, changed === 0 ? `nothing to change in project ${options.project}` : `${changed} of ${results.length} changed in project ${options.project}`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      print(err, `cmdtel-sls: ${error.message}`);
      if (!options) err.write('Run cmdtel-sls --help for the usage.\n');
      return 2;
    }
    const detail = [error?.statusCode && `HTTP ${error.statusCode}`, error?.code, error?.message].filter(Boolean).join(' ');
    print(err, `cmdtel-sls: failed: ${detail}`);
    return 1;
  }
}

const invoked = process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (invoked) process.exitCode = await main(process.argv.slice(2));
