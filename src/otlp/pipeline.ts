import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { AggregationTemporalityPreference, OTLPMetricExporterBase } from '@opentelemetry/exporter-metrics-otlp-http';
import { createOtlpHttpExportDelegate } from '@opentelemetry/otlp-exporter-base/node-http';
import { JsonMetricsSerializer, MetricsExporterMetricsHelper } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { createInstruments, METER_NAME } from '../instruments.js';
import type { InvocationEvent } from '../invocation-event.js';
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
  readonly error?: unknown;
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
 * exporter's own timeout and retries are given only the time left, and at
 * the deadline every socket is destroyed so nothing keeps the process alive.
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

  const agents: Array<HttpAgent | HttpsAgent> = [];
  const exporter = new OTLPMetricExporterBase(
    createOtlpHttpExportDelegate(
      {
        url: target.url,
        // Passed whole on purpose: the exporter's own configuration would also merge
        // OTEL_EXPORTER_OTLP_HEADERS from the environment, which may hold a user's keys
        // for another backend; cmdtel decides which headers go where (config.ts).
        headers: async () => ({ 'Content-Type': 'application/json', ...target.headers }),
        concurrencyLimit: 1,
        timeoutMillis: Math.max(1, deadline - Date.now()),
        compression: target.compression,
        agentFactory: (protocol) => {
          const agent = protocol === 'https:' ? new HttpsAgent({ keepAlive: false }) : new HttpAgent({ keepAlive: false });
          agents.push(agent);
          return agent;
        },
        userAgent: 'cmdtel',
      },
      JsonMetricsSerializer,
      'cmdtel_otlp_http_metric_exporter',
      MetricsExporterMetricsHelper,
      undefined,
    ),
    { temporalityPreference: AggregationTemporalityPreference.DELTA },
  );

  try {
    return await exportBy(exporter, resourceMetrics, deadline);
  } finally {
    for (const agent of agents) agent.destroy();
    exporter.shutdown().catch(() => {});
    provider.shutdown().catch(() => {});
  }
}

function exportBy(
  exporter: OTLPMetricExporterBase,
  resourceMetrics: Parameters<OTLPMetricExporterBase['export']>[0],
  deadline: number,
): Promise<ExportResult> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ delivered: false, error: new Error('export deadline reached') }), Math.max(0, deadline - Date.now()));
    timer.unref();
    exporter.export(resourceMetrics, (result) => {
      clearTimeout(timer);
      resolve(result.code === 0 ? { delivered: true } : { delivered: false, error: result.error });
    });
  });
}
