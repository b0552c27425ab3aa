import { requireFromHost } from './late-load.js';
import { METER_NAME } from '../vocabulary/instruments.js';
import type { MeterProviderLike } from '../vocabulary/meter-provider-like.js';

/** The parts of `@opentelemetry/api` read here, typed by hand so no shipped `.d.ts` imports the optional peer. */
interface MetricsApi {
  metrics: { getMeterProvider(): MeterProviderLike };
  createNoopMeter(): unknown;
}

/** The global provider, or why there is none to use. */
export type GlobalMeterProvider = { readonly provider: MeterProviderLike } | { readonly problem: 'api-not-installed' | 'none-registered' };

/**
 * The host's globally registered MeterProvider (`metrics.setGlobalMeterProvider`,
 * which NodeSDK's `start()` calls), for `useGlobalMeterProvider: true`.
 * `@opentelemetry/api` is an optional peer dependency, so it is loaded here,
 * synchronously and only when asked, from wherever the host installed it; the
 * global itself lives on `globalThis`, so any 1.x copy sees the host's registration.
 *
 * Nothing registered means the API hands out its no-op provider: recording
 * into it would silently drop every event while `telemetry status` claimed it
 * was on, so that is reported as a problem instead.
 */
export function globalMeterProvider(version: string, load: () => MetricsApi = loadApi): GlobalMeterProvider {
  let api: MetricsApi;
  try {
    api = load();
  } catch {
    return { problem: 'api-not-installed' };
  }
  const provider = api.metrics.getMeterProvider();
  // Same name and version as the host sink asks for, so an SDK hands out one cached meter, not two.
  return provider.getMeter(METER_NAME, version) === api.createNoopMeter() ? { problem: 'none-registered' } : { provider };
}

function loadApi(): MetricsApi {
  return requireFromHost('@opentelemetry/api') as MetricsApi;
}
