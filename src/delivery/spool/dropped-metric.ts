import type { MeterLike } from '../../vocabulary/meter-provider-like.js';

/** Events the spool had to drop (too old, over its size bound, unreadable, or never spooled because it was full). */
export const DROPPED_METRIC = 'cli.telemetry.dropped';
/** Why: `age`, `size`, `corrupt`, `overflow`, `rejected` or `too-large` (line.ts). */
export const DROP_REASON_ATTRIBUTE = 'cli.telemetry.drop.reason';
/** `ValueType.INT` from @opentelemetry/api. */
const INT_VALUE_TYPE = 0;

/** Adds the drop counts, one datapoint per reason, to the same export as the events. */
export function recordDropped(meter: MeterLike, dropped: Readonly<Record<string, number>>): void {
  const counter = meter.createCounter(DROPPED_METRIC, {
    description: 'Invocations recorded but dropped before delivery, by reason.',
    unit: '{invocation}',
    valueType: INT_VALUE_TYPE,
  });
  for (const [reason, count] of Object.entries(dropped)) if (count > 0) counter.add(count, { [DROP_REASON_ATTRIBUTE]: reason });
}
