// A loopback OTLP collector that misbehaves on a script: it records what it
// ingested (every request body it read, in order) BEFORE it answers, so a test
// can tell a lost response from a lost request and count duplicates exactly.
import http from 'node:http';
import { until } from './until.js';
import { attributesOf, dataPoints } from './otlp-listener.js';

/**
 * What to do with the n-th request (0-based), given what it carried:
 * - 'ok': answer 200;
 * - 'cut': send the 200 status line and headers, then drop the connection before the body;
 * - 'hang': read the request and never answer (the socket is destroyed by close());
 * - { status, headers }: answer that status.
 * @typedef {'ok' | 'cut' | 'hang' | { status: number, headers?: Record<string, string> }} Answer
 * @param {(index: number, request: { invocations: number, commands: string[] }) => Answer} script
 * @param {{ port?: number }} [options]
 */
export async function startFaultCollector(script, { port = 0 } = {}) {
  const ingested = [];
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const entry = { at: Date.now(), headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const index = ingested.length;
      ingested.push(entry);
      const answer = script(index, { invocations: sum([entry], 'cli.command.invocations', {}), commands: commandsOf(entry) });
      entry.answer = typeof answer === 'string' ? answer : answer.status;
      if (answer === 'hang') return;
      if (answer === 'cut') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.flushHeaders();
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      if (answer === 'ok') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{}');
      }
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...(answer.headers ?? {}) });
      res.end(`status ${answer.status}`);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  /** Requests that the collector ingested and answered with a 2xx (or cut after the 2xx): what a real collector stored. */
  const stored = () => ingested.filter((entry) => entry.answer === 'ok' || entry.answer === 'cut' || entry.answer === 'hang');
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    port: server.address().port,
    ingested,
    /** Invocations stored, optionally filtered by attributes. Hung requests count: the collector read them. */
    invocations(match = {}) {
      return sum(stored(), 'cli.command.invocations', match);
    },
    dropped(match = {}) {
      return sum(stored(), 'cli.telemetry.dropped', match);
    },
    /** How many times each command name was stored. */
    perCommand() {
      const counts = new Map();
      for (const point of dataPoints(stored(), 'cli.command.invocations')) {
        const name = attributesOf(point)['cli.command'];
        counts.set(name, (counts.get(name) ?? 0) + Number(point.asInt ?? point.asDouble));
      }
      return counts;
    },
    /** Stored copies beyond the first, summed over commands. */
    duplicates() {
      let extra = 0;
      for (const count of this.perCommand().values()) extra += Math.max(0, count - 1);
      return extra;
    },
    /** Waits (bounded) until `predicate()` holds; returns whether it did. */
    until,
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function commandsOf(entry) {
  return dataPoints([entry], 'cli.command.invocations').map((point) => attributesOf(point)['cli.command']);
}

function sum(requests, metric, match) {
  let total = 0;
  for (const point of dataPoints(requests, metric)) {
    const attributes = attributesOf(point);
    if (Object.entries(match).every(([key, value]) => attributes[key] === value)) total += Number(point.asInt ?? point.asDouble);
  }
  return total;
}
