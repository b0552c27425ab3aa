// A loopback OTLP collector for the delivery tests: can be "down" (accepts and
// resets every connection) and later "up"; counts what it accepted.
import http from 'node:http';
import { until } from './until.js';
import { attributesOf, dataPoints } from './otlp-listener.js';

export async function startCollector({ up = true } = {}) {
  const accepted = [];
  let attempts = 0;
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      accepted.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  server.on('connection', (socket) => {
    attempts += 1;
    if (!collector.up) return socket.destroy();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const collector = {
    up,
    url: `http://127.0.0.1:${server.address().port}`,
    accepted,
    get attempts() {
      return attempts;
    },
    /** Sum of cli.command.invocations over every accepted request, optionally filtered by attributes. */
    invocations(match = {}) {
      return sum(accepted, 'cli.command.invocations', match);
    },
    dropped(match = {}) {
      return sum(accepted, 'cli.telemetry.dropped', match);
    },
    /** Waits (bounded) until `predicate()` holds; returns whether it did. */
    until,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return collector;
}

function sum(requests, metric, match) {
  let total = 0;
  for (const point of dataPoints(requests, metric)) {
    const attributes = attributesOf(point);
    if (Object.entries(match).every(([key, value]) => attributes[key] === value)) total += Number(point.asInt ?? point.asDouble);
  }
  return total;
}
