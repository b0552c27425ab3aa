// An in-test OTLP/HTTP endpoint on loopback: records every request exactly as
// received, and can misbehave on purpose (hang, 503) for the delivery tests.
import http from 'node:http';

/**
 * @param {{ mode?: 'ok' | 'hang' | 'unavailable', delayMs?: number }} [options]
 * @returns {Promise<{ url: string, port: number, requests: Array<{ method: string, path: string, headers: http.IncomingHttpHeaders, body: string }>, close(): Promise<void> }>}
 */
export async function startOtlpListener({ mode = 'ok', delayMs = 0 } = {}) {
  const requests = [];
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ method: req.method, path: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (mode === 'hang') return; // never answers
      const answer = () => {
        if (mode === 'unavailable') {
          res.writeHead(503, { 'content-type': 'text/plain' });
          res.end('unavailable');
        } else {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{}');
        }
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on loopback that refuses connections: bound once, then released. */
export async function refusedPort() {
  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The datapoints of a metric across OTLP/JSON request bodies. */
export function dataPoints(requests, metricName) {
  const points = [];
  for (const request of requests) {
    const body = JSON.parse(request.body);
    for (const resourceMetrics of body.resourceMetrics ?? []) {
      for (const scopeMetrics of resourceMetrics.scopeMetrics ?? []) {
        for (const metric of scopeMetrics.metrics ?? []) {
          if (metric.name !== metricName) continue;
          const data = metric.sum ?? metric.histogram ?? metric.gauge;
          for (const point of data.dataPoints) points.push({ ...point, temporality: data.aggregationTemporality, resource: resourceMetrics.resource });
        }
      }
    }
  }
  return points;
}

/** OTLP/JSON attributes as a plain object. */
export function attributesOf(point) {
  return Object.fromEntries(point.attributes.map(({ key, value }) => [key, value.stringValue ?? Number(value.intValue ?? value.doubleValue)]));
}
