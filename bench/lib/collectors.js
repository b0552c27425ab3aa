// Stand-in OTLP collectors on 127.0.0.1, one per network condition the
// benchmarks compare. All are started and stopped by the bench itself.
import http from 'node:http';

/**
 * An OTLP/HTTP endpoint on loopback that answers 200 after `delayMs`, or
 * never when `delayMs` is Infinity. Counts the requests it received.
 */
export async function startCollector({ delayMs = 0 } = {}) {
  const sockets = new Set();
  const timers = new Set();
  const collector = { url: '', requests: 0, close };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      collector.requests += 1;
      if (delayMs === Infinity) return; // holds the connection open, never answers
      const answer = () => {
        timers.delete(timer);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      };
      const timer = setTimeout(answer, delayMs);
      timers.add(timer);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  collector.url = `http://127.0.0.1:${server.address().port}`;
  return collector;

  function close() {
    for (const timer of timers) clearTimeout(timer);
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}

/** A loopback URL whose port refuses connections: bound once, then released. */
export async function refusingUrl() {
  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** Every collector the variants can point at, started together. */
export async function startCollectors() {
  const [reachable, delayed, hanging] = await Promise.all([startCollector(), startCollector({ delayMs: 300 }), startCollector({ delayMs: Infinity })]);
  return {
    reachable,
    delayed,
    hanging,
    refusing: { url: await refusingUrl(), requests: 0 },
    close: () => Promise.all([reachable.close(), delayed.close(), hanging.close()]),
  };
}
