import { nodeRequire } from './node-require.js';
import type { MeterProvider } from '@opentelemetry/api';
import { METER_NAME } from '../vocabulary/instruments.js';

type MetricsApi = Pick<typeof import('@opentelemetry/api'), 'metrics' | 'createNoopMeter'>;

/**
 * The host's globally registered MeterProvider (`metrics.setGlobalMeterProvider`),
 * for `useGlobalMeterProvider: true`. `@opentelemetry/api` is an optional peer
 * dependency, so it is loaded here, synchronously and only when asked, from
 * wherever the host installed it; the global itself lives on `globalThis`, so
 * any 1.x copy sees the host's registration.
 *
 * Returns undefined when the API is not installed or nothing is registered
 * (the API would hand out a no-op provider, and recording into it would
 * silently drop every event while `telemetry status` claimed it was on).
 */
export function globalMeterProvider(version: string, load: () => MetricsApi = loadApi): MeterProvider | undefined {
  let api: MetricsApi;
  try {
    api = load();
  } catch {
    return undefined;
  }
  const provider = api.metrics.getMeterProvider();
  // Same name and version as the host sink asks for, so an SDK hands out one cached meter, not two.
  return provider.getMeter(METER_NAME, version) === api.createNoopMeter() ? undefined : provider;
}

function loadApi(): MetricsApi {
  return nodeRequire('@opentelemetry/api') as MetricsApi;
}
