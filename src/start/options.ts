import { isCoarseToken } from '../vocabulary/coarse.js';
import { isAbsoluteOrHome } from './home-path.js';
import { CmdtelOptionsError } from './errors.js';
import type { Env } from '../vocabulary/env-names.js';
import type { CommandPathMapper } from './command-path.js';
import { resolveHostMeterProvider } from './host-meter-provider.js';
import type { MeterProviderLike } from '../vocabulary/meter-provider-like.js';

/** What a CLI passes to `createTelemetry`. */
export interface TelemetryOptions {
  /** The CLI's name: `service.name`, the default env prefix (upper-cased) and config dir (`~/.<name>`). */
  name: string;
  /** The CLI's version, recorded as `service.version`. Default `"dev"`. */
  version?: string;
  /** Prefix of the environment variables, e.g. `DWS` for `DWS_TELEMETRY_ENABLED`. Default: the name upper-cased. */
  envPrefix?: string;
  /** The distribution channel (`stable`, `homebrew`, ...). Default: `<PREFIX>_CHANNEL`. */
  channel?: string;
  /**
   * A distribution's baked-in endpoint (and token). Makes telemetry on by
   * default, with a one-time notice on stderr; users still opt out.
   */
  defaults?: { url?: string; token?: string };
  /** Where the notice marker and the user's choice live. Default: `<PREFIX>_CONFIG_DIR`, else `~/.<name>`. */
  configDir?: string;
  /**
   * A host CLI's own OpenTelemetry MeterProvider: cmdtel records on it and
   * builds no pipeline. With NodeSDK: `metrics.getMeterProvider()` after
   * `sdk.start()`. Given but unusable (undefined, null, the API's no-op
   * provider) leaves telemetry off with reason `meter-provider-unusable` and the
   * problem in `status.meterProviderProblem`; an object without `getMeter()`
   * throws {@link CmdtelOptionsError}.
   */
  meterProvider?: MeterProviderLike | undefined;
  /**
   * Record on the MeterProvider the host registered globally with
   * `@opentelemetry/api` (loaded only when this is true). Ignored when
   * `meterProvider` is given; when nothing is registered (or the API is not
   * installed), `status.meterProviderProblem` says so, as for an unusable
   * `meterProvider`. Default false.
   */
  useGlobalMeterProvider?: boolean;
  /** The environment to read. Default `process.env`; tests pass their own. */
  env?: Env;
  /**
   * Also record the trace id as a metric attribute (`cli.trace.id`). Off by
   * default and rarely wise: it makes one series per invocation, which most
   * metrics backends cannot afford.
   */
  traceIdAttribute?: boolean;
  /**
   * Splits a declared command name into levels: the first is recorded as the
   * command, the rest joined with `.` as the subcommand. Default: split at `:`
   * (`db:migrate` → `db` / `migrate`). Each level still has to be a short
   * token, else it is recorded as `_invalid`; a mapper that throws makes that
   * name `_invalid` and never breaks `start()`.
   */
  commandPath?: CommandPathMapper;
  /**
   * Record who runs each command — an AI agent, a CI run, a person at a
   * terminal or a script — as `cli.caller.type` and `cli.caller.name`
   * (docs/attributes.md). Default true; false leaves both out and skips the
   * detection.
   */
  recordCaller?: boolean;
  /**
   * This project opted out of telemetry: the CLI sets it from its own project
   * configuration (say `"telemetry": false` in `mycli.json`). Checked only
   * once everything else said on, and then it wins (docs/configuration.md).
   * Default false.
   */
  projectOptOut?: boolean;
  /**
   * Where the project's committed opt-out (`.<name>/telemetry.json`) is looked
   * for, walking up to the project root. Default: the working directory.
   */
  projectDir?: string;
  /**
   * The CLI offers `<name> telemetry status|enable|disable`
   * (`cmdtel/user-controls`); the first-run notice then names
   * `<name> telemetry disable`. Default false.
   */
  userControls?: boolean;
}

/** The options after checking, with defaults filled in. */
export interface ResolvedOptions {
  readonly name: string;
  readonly version: string;
  readonly envPrefix: string;
  readonly channel: string | undefined;
  readonly defaultUrl: string | undefined;
  readonly defaultToken: string | undefined;
  readonly configDir: string | undefined;
  readonly meterProvider: MeterProviderLike | undefined;
  /** Why the host provider the options asked for cannot be used (see host-meter-provider.ts). */
  readonly meterProviderProblem: string | undefined;
  readonly env: Env;
  readonly traceIdAttribute: boolean;
  readonly commandPath: CommandPathMapper | undefined;
  readonly recordCaller: boolean;
  readonly projectOptOut: boolean;
  readonly projectDir: string | undefined;
  readonly userControls: boolean;
}

const NAME = /^[a-z][a-z0-9-]{0,63}$/;
const ENV_PREFIX = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * Checks options written in code; a mistake throws {@link CmdtelOptionsError} naming the option.
 * The object is read once, defensively: a getter or a Proxy that throws becomes a
 * CmdtelOptionsError naming what could not be read, never the host's own exception.
 */
export function resolveOptions(given: TelemetryOptions): ResolvedOptions {
  if (given === null || typeof given !== 'object') {
    throw new CmdtelOptionsError('options', 'must be an object such as { name: "mycli" }');
  }
  const options = readOptions(given);
  const { name } = options;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new CmdtelOptionsError('name', `must be lowercase letters, digits and "-", starting with a letter (got ${describe(name)})`);
  }
  const version = optionalToken(options.version, 'version') ?? 'dev';
  const envPrefix = options.envPrefix ?? name.toUpperCase().replaceAll('-', '_');
  if (typeof envPrefix !== 'string' || !ENV_PREFIX.test(envPrefix)) {
    throw new CmdtelOptionsError('envPrefix', `must be uppercase letters, digits and "_", starting with a letter (got ${describe(options.envPrefix)})`);
  }
  const channel = optionalToken(options.channel, 'channel');
  const defaults = options.defaults ?? {};
  if (typeof defaults !== 'object' || defaults === null) {
    throw new CmdtelOptionsError('defaults', 'must be an object such as { url, token }');
  }
  const defaultUrl = optionalUrl(defaults.url, 'defaults.url');
  const defaultToken = optionalString(defaults.token, 'defaults.token');
  const configDir = optionalString(options.configDir, 'configDir');
  if (configDir !== undefined && !isAbsoluteOrHome(configDir)) {
    // A relative directory would mean another place to the sender, and write into whatever directory the user is in.
    throw new CmdtelOptionsError('configDir', 'must be an absolute path or start with ~/');
  }
  const host = read('meterProvider', () => resolveHostMeterProvider(options, version));
  const env = options.env ?? process.env;
  if (typeof env !== 'object' || env === null) {
    throw new CmdtelOptionsError('env', 'must be an object of environment variables');
  }
  if (options.commandPath !== undefined && typeof options.commandPath !== 'function') {
    throw new CmdtelOptionsError(
      'commandPath',
      `must be a function from a command name to its levels, such as (name) => name.split('/') (got ${describe(options.commandPath)})`,
    );
  }
  return {
    name,
    version,
    envPrefix,
    channel,
    defaultUrl,
    defaultToken,
    configDir,
    meterProvider: host.provider,
    meterProviderProblem: host.problem,
    env,
    traceIdAttribute: options.traceIdAttribute === true,
    commandPath: options.commandPath,
    recordCaller: optionalBoolean(options.recordCaller, 'recordCaller') ?? true,
    projectOptOut: optionalBoolean(options.projectOptOut, 'projectOptOut') ?? false,
    projectDir: optionalString(options.projectDir, 'projectDir'),
    userControls: optionalBoolean(options.userControls, 'userControls') ?? false,
  };
}

/** Reads one value, turning whatever it throws into a CmdtelOptionsError naming the option. */
function read<T>(option: string, get: () => T): T {
  try {
    return get();
  } catch (error) {
    if (error instanceof CmdtelOptionsError) throw error;
    throw new CmdtelOptionsError(option, 'could not be read: reading it threw (a getter or a Proxy?)');
  }
}

/** A plain copy of the options: each property read once, `defaults` and `env` copied too. */
function readOptions(given: TelemetryOptions): TelemetryOptions {
  const keys = [
    'name',
    'version',
    'envPrefix',
    'channel',
    'defaults',
    'configDir',
    'meterProvider',
    'useGlobalMeterProvider',
    'env',
    'traceIdAttribute',
    'commandPath',
    'recordCaller',
    'projectOptOut',
    'projectDir',
    'userControls',
  ] as const;
  const copy: Record<string, unknown> = {};
  // Only the keys present: `meterProvider: undefined` given explicitly means something (host-meter-provider.ts).
  for (const key of keys) if (read(key, () => key in given)) copy[key] = read(key, () => given[key]);
  const defaults = copy.defaults;
  if (typeof defaults === 'object' && defaults !== null) {
    const from = defaults as NonNullable<TelemetryOptions['defaults']>;
    copy.defaults = { url: read('defaults.url', () => from.url), token: read('defaults.token', () => from.token) };
  }
  if (typeof copy.env === 'object' && copy.env !== null && copy.env !== process.env) copy.env = read('env', () => copyEnv(copy.env as Env));
  return copy as unknown as TelemetryOptions;
}

/** A host's own environment object, as a plain map of strings: read once here, so no later read can throw. */
function copyEnv(env: Env): Env {
  const copy: Record<string, string | undefined> = {};
  for (const name of Object.keys(env)) {
    const value = env[name];
    if (typeof value === 'string') copy[name] = value;
  }
  return copy;
}

function optionalToken(value: unknown, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (!isCoarseToken(value)) {
    throw new CmdtelOptionsError(option, `must be a short token of letters, digits and "._+-" (got ${describe(value)})`);
  }
  return value;
}

function optionalBoolean(value: unknown, option: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new CmdtelOptionsError(option, `must be true or false (got ${describe(value)})`);
  return value;
}

function optionalString(value: unknown, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new CmdtelOptionsError(option, `must be a non-empty string (got ${describe(value)})`);
  }
  return value;
}

function optionalUrl(value: unknown, option: string): string | undefined {
  const url = optionalString(value, option);
  if (url !== undefined && !/^https?:\/\/[^\s]+$/i.test(url)) {
    throw new CmdtelOptionsError(option, `must be an http:// or https:// URL (got ${describe(value)})`);
  }
  return url;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : typeof value;
}
