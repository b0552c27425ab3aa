import { join } from 'node:path';
import type { InvocationEvent } from '../../vocabulary/invocation-event.js';
import type { OtlpTarget } from '../otlp/pipeline.js';
import { appendLine, type SpoolPlace } from './append.js';
import { targetId } from './layout.js';
import { encodeEvent, newLineId } from './line.js';
import { ensureSender } from './start-sender.js';
import type { SpoolTuning } from './tuning.js';

/** A command's handle on the spool for one destination. */
export interface SpoolWriter {
  /** Appends synchronously; false (after reporting) when the spool cannot be written. */
  append(event: InvocationEvent): boolean;
  /** Starts a sender unless one is running or cooling down. Never throws. */
  ensureSender(): void;
}

export interface SpoolWriterOptions {
  readonly root: string;
  readonly target: OtlpTarget;
  readonly tuning: SpoolTuning;
  readonly onError: (error: unknown) => void;
}

export function createSpoolWriter({ root, target, tuning, onError }: SpoolWriterOptions): SpoolWriter {
  let place: SpoolPlace | undefined;
  const placeFor = (): SpoolPlace => {
    // The version is left out: each event carries its own, so an upgrade does not strand a directory.
    const targetJson = JSON.stringify({
      url: target.url,
      headers: target.headers,
      compression: target.compression,
      serviceName: target.serviceName,
      includeTraceId: target.includeTraceId,
    });
    place ??= { root, dir: join(root, targetId(targetJson)), targetJson };
    return place;
  };
  return {
    append(event) {
      try {
        const id = newLineId();
        appendLine(placeFor(), encodeEvent(id, event), id, tuning.maxBytes);
        return true;
      } catch (error) {
        onError(error);
        return false;
      }
    },
    ensureSender() {
      ensureSender(root, tuning, onError);
    },
  };
}
