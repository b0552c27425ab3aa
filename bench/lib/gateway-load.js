// Offers a gateway a fixed rate of invocations for a fixed time, open loop:
// requests leave on schedule whatever the gateway does, at most `clients` in
// flight, so a gateway that cannot keep up shows as an achieved rate below the
// offered one and as latency. Connections are kept alive (up to `clients`), as
// a load balancer in front of a gateway keeps them; a new connection per
// request would exhaust loopback ports at the higher rates, not the gateway. Also: the collector's RSS, and a remote-write sink that
// discards, for the memory phase.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { quantile } from './stats.js';

const TICK_MS = 5;

/** An HTTP agent for `clients` concurrent kept-alive connections; destroy() it when done. */
export const clientAgent = (clients) => new http.Agent({ keepAlive: true, maxSockets: clients });

/** One POST of a JSON body to `${url}/v1/metrics` through `agent`; resolves { status, ms }, status 0 on a network error. */
export function post(url, body, token, { agent, timeoutMs = 15_000 } = {}) {
  const target = new URL('/v1/metrics', url);
  return new Promise((resolve) => {
    const started = performance.now();
    const request = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent,
        timeout: timeoutMs,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode, ms: performance.now() - started }));
      },
    );
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    request.end(body);
  });
}

/**
 * Sends from `pool` (bodies with their invocation counts, cycled) at
 * `rate` invocations per second for `seconds`, then waits for the requests
 * in flight. Returns what was sent and accepted and the latencies.
 */
export async function offerRate({ url, token, pool, rate, seconds, clients }) {
  const agent = clientAgent(clients);
  const latencies = [];
  let inFlight = 0;
  let next = 0;
  let offered = 0; // invocations whose request has left
  let accepted = 0; // invocations in requests answered 200
  let requests = 0;
  let non200 = 0;
  let behind = 0; // ticks on which the schedule wanted more than `clients` allowed
  const pending = new Set();
  const started = performance.now();
  const endAt = started + seconds * 1000;
  while (performance.now() < endAt) {
    const due = (rate * (performance.now() - started)) / 1000;
    while (offered + pool.invocations[next % pool.bodies.length] <= due) {
      if (inFlight >= clients) {
        behind += 1;
        break;
      }
      const index = next % pool.bodies.length;
      next += 1;
      const n = pool.invocations[index];
      offered += n;
      requests += 1;
      inFlight += 1;
      const sending = post(url, pool.bodies[index], token, { agent }).then(({ status, ms }) => {
        inFlight -= 1;
        latencies.push(ms);
        if (status === 200) accepted += n;
        else non200 += 1;
        pending.delete(sending);
      });
      pending.add(sending);
    }
    await sleep(TICK_MS);
  }
  const sendingSeconds = (performance.now() - started) / 1000;
  await Promise.all(pending);
  agent.destroy();
  return {
    targetRate: rate,
    achievedRate: offered / sendingSeconds,
    requests,
    invocations: offered,
    accepted,
    non200,
    behindTicks: behind,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
  };
}

/** Resident and peak resident set of a process, in MiB, from /proc (Linux). */
export function processMemory(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    const kib = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
  } catch {
    return { rssMiB: Number.NaN, peakMiB: Number.NaN };
  }
}

/** A Prometheus remote-write endpoint on loopback that reads, counts and discards. */
export async function startDiscardingSink() {
  const sink = { url: '', requests: 0, bytes: 0, close };
  const server = http.createServer((req, res) => {
    req.on('data', (chunk) => (sink.bytes += chunk.length));
    req.on('end', () => {
      sink.requests += 1;
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  sink.url = `http://127.0.0.1:${server.address().port}/api/v1/write`;
  return sink;

  function close() {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}
