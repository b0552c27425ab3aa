import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { toEventLine } from '../../vocabulary/event-line.js';
import type { Sink } from './sink.js';

/**
 * One JSON line per event, appended with a single write on a file opened
 * with O_APPEND: the kernel places each whole line at the end of the file, so
 * many CLI processes can append at once without interleaving.
 */
export function createFileSink(path: string, onError: (error: unknown) => void): Sink {
  return {
    write(event) {
      const line = toEventLine(event);
      try {
        appendFileSync(path, line);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return onError(error);
        try {
          mkdirSync(dirname(path), { recursive: true });
          appendFileSync(path, line);
        } catch (retryError) {
          onError(retryError);
        }
      }
    },
    async flush() {
      return true;
    },
    hasPending: () => false,
  };
}
