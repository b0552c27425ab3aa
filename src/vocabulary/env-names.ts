/**
 * The environment variables cmdtel reads for one CLI, derived from its prefix
 * (`DWS` gives `DWS_TELEMETRY_ENABLED`, ...). Kept in one place so the
 * decision, the configuration and the docs never disagree on a name.
 */
export interface EnvNames {
  readonly enabled: string;
  readonly disabled: string;
  readonly url: string;
  readonly token: string;
  readonly timeoutMs: string;
  readonly file: string;
  readonly debug: string;
  readonly delivery: string;
  readonly spoolDir: string;
  readonly channel: string;
  readonly configDir: string;
}

/** Standard variables that switch cmdtel off or feed its exporter where the prefixed ones are unset. */
export const STANDARD_ENV = {
  doNotTrack: 'DO_NOT_TRACK',
  otelSdkDisabled: 'OTEL_SDK_DISABLED',
  traceparent: 'TRACEPARENT',
  otlpEndpoint: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  otlpMetricsEndpoint: 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT',
  otlpHeaders: 'OTEL_EXPORTER_OTLP_HEADERS',
  otlpMetricsHeaders: 'OTEL_EXPORTER_OTLP_METRICS_HEADERS',
  otlpTimeout: 'OTEL_EXPORTER_OTLP_TIMEOUT',
  otlpMetricsTimeout: 'OTEL_EXPORTER_OTLP_METRICS_TIMEOUT',
  otlpCompression: 'OTEL_EXPORTER_OTLP_COMPRESSION',
  otlpMetricsCompression: 'OTEL_EXPORTER_OTLP_METRICS_COMPRESSION',
  ci: 'CI',
} as const;

export function envNames(prefix: string): EnvNames {
  const telemetry = `${prefix}_TELEMETRY_`;
  return {
    enabled: `${telemetry}ENABLED`,
    disabled: `${telemetry}DISABLED`,
    url: `${telemetry}URL`,
    token: `${telemetry}TOKEN`,
    timeoutMs: `${telemetry}TIMEOUT_MS`,
    file: `${telemetry}FILE`,
    debug: `${telemetry}DEBUG`,
    delivery: `${telemetry}DELIVERY`,
    spoolDir: `${telemetry}SPOOL_DIR`,
    channel: `${prefix}_CHANNEL`,
    configDir: `${prefix}_CONFIG_DIR`,
  };
}

/** The environment as cmdtel sees it: a plain map, so tests can pass their own. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The value of a variable with surrounding blanks removed; unset and blank are the same. */
export function readEnv(env: Env, name: string): string | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
