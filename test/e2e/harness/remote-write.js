// A loopback HTTP listener that accepts Prometheus remote-write (1.0) requests and decodes them:
// the stand-in for a remote backend that cannot be reached from a test (Alibaba Cloud SLS).
// Includes a minimal snappy (block format) decompressor and a minimal protobuf reader for
// prometheus.WriteRequest, so no dependency is needed.
//
//   const sink = await startRemoteWriteSink();
//   // configure the collector's remote write URL (or HTTP proxy) to point at sink.url
//   const series = sink.latestSamples();   // Map '<name>{labels}' -> { labels, value, timestamp }
//   await sink.stop();
import { createServer } from 'node:http';

/**
 * Decompresses a snappy block-format buffer (what remote write uses; not the framed format).
 * @param {Uint8Array} input
 * @returns {Buffer}
 */
export function snappyDecompress(input) {
  let pos = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= input.length) throw new Error('snappy: truncated length');
    const byte = input[pos++];
    length += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) break;
  }
  const out = Buffer.alloc(length);
  let op = 0;
  while (pos < input.length) {
    const tag = input[pos++];
    const type = tag & 3;
    if (type === 0) {
      let len = tag >> 2;
      if (len >= 60) {
        const bytes = len - 59;
        len = 0;
        for (let i = 0; i < bytes; i += 1) len += input[pos++] * 2 ** (8 * i);
      }
      len += 1;
      if (pos + len > input.length || op + len > length) throw new Error('snappy: literal out of range');
      out.set(input.subarray(pos, pos + len), op);
      pos += len;
      op += len;
      continue;
    }
    let len;
    let offset;
    if (type === 1) {
      len = 4 + ((tag >> 2) & 7);
      offset = ((tag >> 5) << 8) | input[pos++];
    } else if (type === 2) {
      len = (tag >> 2) + 1;
      offset = input[pos] | (input[pos + 1] << 8);
      pos += 2;
    } else {
      len = (tag >> 2) + 1;
      offset = (input[pos] | (input[pos + 1] << 8) | (input[pos + 2] << 16)) + input[pos + 3] * 2 ** 24;
      pos += 4;
    }
    if (offset === 0 || offset > op || op + len > length) throw new Error('snappy: bad copy');
    for (let i = 0; i < len; i += 1) out[op + i] = out[op - offset + i];
    op += len;
  }
  if (op !== length) throw new Error(`snappy: expected ${length} bytes, got ${op}`);
  return out;
}

/** Iterates over the fields of one protobuf message: yields { field, wireType, value }. */
function* protoFields(buf) {
  let pos = 0;
  const varint = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      if (pos >= buf.length) throw new Error('protobuf: truncated varint');
      const byte = buf[pos++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (pos < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wireType = key & 7;
    if (wireType === 0) yield { field, wireType, value: varint() };
    else if (wireType === 1) {
      yield { field, wireType, value: buf.subarray(pos, pos + 8) };
      pos += 8;
    } else if (wireType === 2) {
      const len = varint();
      yield { field, wireType, value: buf.subarray(pos, pos + len) };
      pos += len;
    } else if (wireType === 5) {
      yield { field, wireType, value: buf.subarray(pos, pos + 4) };
      pos += 4;
    } else throw new Error(`protobuf: unsupported wire type ${wireType}`);
  }
}

/**
 * A decoded remote-write time series.
 * @typedef {{ labels: Record<string, string>, samples: { value: number, timestamp: number }[] }} TimeSeries
 */

/**
 * Decodes a prometheus.WriteRequest (remote write 1.0): its time series with labels and samples.
 * Exemplars, native histograms and metadata are skipped.
 * @param {Uint8Array} buf  the decompressed body
 * @returns {{ timeseries: TimeSeries[] }}
 */
export function decodeWriteRequest(buf) {
  const timeseries = [];
  for (const { field, wireType, value } of protoFields(buf)) {
    if (field !== 1 || wireType !== 2) continue; // 1: repeated TimeSeries
    const series = { labels: {}, samples: [] };
    for (const part of protoFields(value)) {
      if (part.field === 1 && part.wireType === 2) {
        let name = '';
        let labelValue = '';
        for (const l of protoFields(part.value)) {
          if (l.field === 1) name = Buffer.from(l.value).toString('utf8');
          if (l.field === 2) labelValue = Buffer.from(l.value).toString('utf8');
        }
        series.labels[name] = labelValue;
      } else if (part.field === 2 && part.wireType === 2) {
        const sample = { value: 0, timestamp: 0 };
        for (const s of protoFields(part.value)) {
          if (s.field === 1 && s.wireType === 1) sample.value = Buffer.from(s.value).readDoubleLE(0);
          if (s.field === 2 && s.wireType === 0) sample.timestamp = s.value;
        }
        series.samples.push(sample);
      }
    }
    timeseries.push(series);
  }
  return { timeseries };
}

/** `name{a="1",b="2"}` with labels sorted: a stable key for a series. */
export function seriesKey(labels) {
  const { __name__: name = '', ...rest } = labels;
  const inner = Object.keys(rest)
    .sort()
    .map((key) => `${key}=${JSON.stringify(rest[key])}`)
    .join(',');
  return `${name}{${inner}}`;
}

/**
 * One request received by the sink.
 * @typedef {{ method: string, url: string, headers: import('node:http').IncomingHttpHeaders, raw: Buffer, timeseries: TimeSeries[], error?: string }} ReceivedWrite
 */

/**
 * A running remote-write stand-in started by {@link startRemoteWriteSink}.
 * @typedef {object} RemoteWriteSink
 * @property {string} url           http://127.0.0.1:<port> (any path is accepted)
 * @property {number} port
 * @property {ReceivedWrite[]} requests  everything received, in order
 * @property {() => Map<string, { labels: Record<string, string>, value: number, timestamp: number }>} latestSamples
 *           per series (seriesKey), the sample with the greatest timestamp
 * @property {() => Promise<void>} stop
 */

/**
 * Starts the stand-in on 127.0.0.1 (free port). It answers 204 to well-formed remote-write
 * requests and 400 to anything it cannot decode; it also accepts proxy-style absolute URLs
 * (`POST http://host/path`), so a collector can reach it through HTTP_PROXY while keeping its
 * real remote host name in the URL.
 * @param {{ status?: number }} [options]  status: what to answer to good requests (default 204)
 * @returns {Promise<RemoteWriteSink>}
 */
export async function startRemoteWriteSink({ status = 204 } = {}) {
  const requests = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const record = { method: req.method, url: req.url, headers: req.headers, raw, timeseries: [] };
      try {
        if (req.headers['content-encoding'] !== 'snappy') throw new Error(`content-encoding ${req.headers['content-encoding']}`);
        record.timeseries = decodeWriteRequest(snappyDecompress(raw)).timeseries;
        requests.push(record);
        res.writeHead(status).end();
      } catch (error) {
        record.error = error.message;
        requests.push(record);
        res.writeHead(400, { 'content-type': 'text/plain' }).end(error.message);
      }
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    latestSamples() {
      const latest = new Map();
      for (const request of requests) {
        for (const series of request.timeseries) {
          const key = seriesKey(series.labels);
          for (const sample of series.samples) {
            const previous = latest.get(key);
            if (!previous || sample.timestamp >= previous.timestamp) latest.set(key, { labels: series.labels, ...sample });
          }
        }
      }
      return latest;
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
