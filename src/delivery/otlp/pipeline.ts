import { AggregationTemporalityPreference, OTLPMetricExporterBase } from '@opentelemetry/exporter-metrics-otlp-http';
import { createOtlpNetworkExportDelegate } from '@opentelemetry/otlp-exporter-base';
import { createOtlpHttpExporterMetrics } from '@opentelemetry/otlp-exporter-base/node-http';
import { JsonMetricsSerializer, MetricsExporterMetricsHelper } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { createInstruments, METER_NAME } from '../../vocabulary/instruments.js';
import { createHttpTransport, type CmdtelTransport } from './http-transport.js';
import type { SendVerdict } from './send-outcome.js';
import type { InvocationEvent } from '../../vocabulary/invocation-event.js';
import { recordDropped } from '../spool/dropped-metric.js';

/**
 * The only module that loads the OpenTelemetry SDK and the OTLP exporter.
 * The build bundles it (with them) into its own file, loaded on demand: a
 * CLI that has nothing to send never pays for it.
 */

export interface OtlpTarget {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly compression: 'gzip' | 'none';
  readonly serviceName: string;
  readonly serviceVersion: string;
  readonly includeTraceId: boolean;
}

export interface ExportResult {
  readonly delivered: boolean;
  /** How the one attempt ended (send-outcome.ts); the caller decides whether to try again. */
  readonly verdict: SendVerdict;
  readonly error?: unknown;
  /** The collector's `Retry-After`, in milliseconds from now, when it gave one. */
  readonly retryAfterMs?: number;
}

/** Collects on demand only: one collect per export, deltas since the pipeline was made. */
class OnDemandReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/**
 * Records the events on cmdtel's two instruments and sends them as one OTLP
 * request, by `deadline` (epoch ms) whatever the endpoint does: the
 * exporter gets only the time left, its HTTP leg is cmdtel's own
 * (http-transport.ts: one attempt, classified; no retry below the caller), and afterwards
 * every socket is destroyed so nothing keeps the process alive.
 */
export async function exportEvents(
  target: OtlpTarget,
  events: readonly InvocationEvent[],
  deadline: number,
  dropped?: Readonly<Record<string, number>>,
): Promise<ExportResult> {
  const reader = new OnDemandReader();
  const provider = new MeterProvider({
    // Only what identifies the CLI: per-process attributes would split series.
    resource: resourceFromAttributes({ 'service.name': target.serviceName, 'service.version': target.serviceVersion }),
    readers: [reader],
  });
  const meter = provider.getMeter(METER_NAME, target.serviceVersion);
  const instruments = createInstruments(meter, target.includeTraceId);
  for (const event of events) instruments.record(event);
  // The background sender reports what its spool had to drop in the same request.
  if (dropped !== undefined) recordDropped(meter, dropped);
  const { resourceMetrics } = await reader.collect();

  const transport = createHttpTransport({ url: target.url, headers: target.headers, compression: target.compression });
  const exporter = new OTLPMetricExporterBase(
    createOtlpNetworkExportDelegate(
      { timeoutMillis: Math.max(1, deadline - Date.now()), concurrencyLimit: 1, compression: 'none' },
      JsonMetricsSerializer,
      createOtlpHttpExporterMetrics('cmdtel_otlp_http_metric_exporter', MetricsExporterMetricsHelper, target.url, undefined),
      transport,
    ),
    { temporalityPreference: AggregationTemporalityPreference.DELTA },
  );

  try {
    return await exportBy(exporter, transport, resourceMetrics, deadline);
  } finally {
    transport.shutdown();
    exporter.shutdown().catch(() => {});
    provider.shutdown().catch(() => {});
  }
}

function exportBy(
  exporter: OTLPMetricExporterBase,
  transport: CmdtelTransport,
  resourceMetrics: Parameters<OTLPMetricExporterBase['export']>[0],
  deadline: number,
): Promise<ExportResult> {
  return new Promise((resolve) => {
    // Held (not unref'd) until the export ends or the deadline passes; see flushWithin in telemetry.ts.
    const timer = setTimeout(
      () => resolve({ delivered: false, verdict: 'retry', error: new Error('export deadline reached') }),
      Math.max(0, deadline - Date.now()),
    );
    exporter.export(resourceMetrics, (result) => {
      clearTimeout(timer);
      if (result.code === 0) return resolve({ delivered: true, verdict: 'delivered' });
      const outcome = transport.lastOutcome();
      if (outcome === undefined) return resolve({ delivered: false, verdict: 'retry', error: result.error });
      resolve({
        delivered: false,
        verdict: outcome.verdict,
        error: outcome.error ?? result.error,
        ...(outcome.retryAfterMs === undefined ? {} : { retryAfterMs: outcome.retryAfterMs }),
      });
    });
  });
}
