import type { Destination } from './config.js';
import { toEventLine } from '../vocabulary/event-line.js';
import type { InvocationEvent } from '../vocabulary/invocation-event.js';

/**
 * `<P>_TELEMETRY_DEBUG`: shows on stderr exactly what would be sent, so a
 * user can check the privacy claims themselves. Credentials never appear.
 */
export interface DebugLog {
  destination(destination: Destination): void;
  event(event: InvocationEvent): void;
  problem(error: unknown): void;
  /** The host MeterProvider asked for cannot be used (host-meter-provider.ts). */
  meterProviderProblem(problem: string): void;
}

export function createDebugLog(write: (text: string) => void): DebugLog {
  return {
    destination(destination) {
      write(`cmdtel debug: destination ${describeDestination(destination)}\n`);
    },
    event(event) {
      write(`cmdtel debug: event ${toEventLine(event)}`);
    },
    meterProviderProblem(problem) {
      write(`cmdtel debug: host MeterProvider not used: ${problem}\n`);
    },
    problem(error) {
      write(`cmdtel debug: delivery problem: ${error instanceof Error ? error.message : String(error)}\n`);
    },
  };
}

export function describeDestination(destination: Destination): string {
  switch (destination.kind) {
    case 'file':
      return `file ${destination.path}`;
    case 'host':
      return "the host's MeterProvider";
    case 'otlp':
      // Header names only, values redacted; no headers, no mention.
      return Object.keys(destination.headers).length === 0
        ? `OTLP ${redactUrl(destination.url)}`
        : `OTLP ${redactUrl(destination.url)} headers ${JSON.stringify(redactHeaders(destination.headers))}`;
  }
}

function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.keys(headers).map((key) => [key, '[redacted]']));
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username !== '' || parsed.password !== '') {
      parsed.username = 'redacted';
      parsed.password = '';
    }
    return parsed.toString();
  } catch {
    return '[unparseable URL]';
  }
}
