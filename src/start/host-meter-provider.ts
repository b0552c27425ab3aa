import { CmdtelOptionsError } from './errors.js';
import { globalMeterProvider } from './global-meter-provider.js';
import { METER_NAME } from '../vocabulary/instruments.js';
import type { MeterProviderLike } from '../vocabulary/meter-provider-like.js';

/**
 * The host's MeterProvider the options ask for, or why it cannot be used.
 *
 * A provider that was asked for but is unusable never silently turns telemetry
 * off: the problem goes into `telemetry.status` (and `<P>_TELEMETRY_DEBUG`
 * output), and the decision reports `meter-provider-unusable`. The rule:
 * - an object without `getMeter()` (or a number, a string ...) is a mistake in
 *   code and throws {@link CmdtelOptionsError}, like every bad option;
 * - `undefined` or `null` given explicitly (`meterProvider: sdk.meterProvider`:
 *   NodeSDK has no such property), OpenTelemetry's no-op provider (the SDK was
 *   not started, or has no metric reader), and `useGlobalMeterProvider` with
 *   nothing registered depend on how the host started, so they are a status,
 *   not an exception: the CLI keeps running either way.
 */
export interface HostMeterProvider {
  readonly provider: MeterProviderLike | undefined;
  /** Why the provider asked for cannot be used; undefined when none was asked for or it is usable. */
  readonly problem: string | undefined;
}

const NOT_GIVEN: HostMeterProvider = { provider: undefined, problem: undefined };

const START_FIRST = 'start the host SDK, with a metric reader, before createTelemetry';

export const HOST_PROVIDER_PROBLEMS = {
  undefinedOption:
    'meterProvider is undefined (NodeSDK has no meterProvider property: after sdk.start(), pass metrics.getMeterProvider() or set useGlobalMeterProvider: true)',
  noop: `meterProvider is OpenTelemetry's no-op MeterProvider, which records nothing (${START_FIRST})`,
  noMeter: 'meterProvider.getMeter() did not return a Meter',
  apiNotInstalled: 'useGlobalMeterProvider is set but @opentelemetry/api is not installed',
  noneRegistered: `useGlobalMeterProvider is set but no MeterProvider is registered globally (${START_FIRST})`,
} as const;

export function resolveHostMeterProvider(
  options: { readonly meterProvider?: unknown; readonly useGlobalMeterProvider?: unknown },
  version: string,
): HostMeterProvider {
  const given = options.meterProvider;
  if (given !== undefined && given !== null) return checkGiven(given, version);
  if (options.useGlobalMeterProvider === true) {
    const global = globalMeterProvider(version);
    if ('provider' in global) return { provider: global.provider, problem: undefined };
    return unusable(global.problem === 'api-not-installed' ? HOST_PROVIDER_PROBLEMS.apiNotInstalled : HOST_PROVIDER_PROBLEMS.noneRegistered);
  }
  return Object.hasOwn(options, 'meterProvider') ? unusable(HOST_PROVIDER_PROBLEMS.undefinedOption) : NOT_GIVEN;
}

function checkGiven(given: unknown, version: string): HostMeterProvider {
  const getMeter = (given as { getMeter?: unknown }).getMeter;
  if ((typeof given !== 'object' && typeof given !== 'function') || typeof getMeter !== 'function') {
    throw new CmdtelOptionsError('meterProvider', 'must be an OpenTelemetry MeterProvider (an object with getMeter())');
  }
  const provider = given as MeterProviderLike;
  let meter: unknown;
  try {
    // Same name and version as the host sink asks for: an SDK caches it, so this creates nothing extra.
    meter = provider.getMeter(METER_NAME, version);
  } catch {
    return unusable(HOST_PROVIDER_PROBLEMS.noMeter);
  }
  if (typeof (meter as { createCounter?: unknown } | undefined)?.createCounter !== 'function') return unusable(HOST_PROVIDER_PROBLEMS.noMeter);
  return isNoopMeter(meter) ? unusable(HOST_PROVIDER_PROBLEMS.noop) : { provider, problem: undefined };
}

/**
 * The API's no-op meter, recognised by its class name: comparing with the
 * API's own `createNoopMeter()` would mean loading `@opentelemetry/api` on
 * every start (and the host's copy may not be the one cmdtel resolves). The
 * API's builds keep class names; a host that minifies the API loses this check.
 */
function isNoopMeter(meter: unknown): boolean {
  return (meter as { constructor?: { name?: unknown } }).constructor?.name === 'NoopMeter';
}

function unusable(problem: string): HostMeterProvider {
  return { provider: undefined, problem };
}
