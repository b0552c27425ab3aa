// End-to-end smoke test, self-contained so it runs in any fresh host project:
// a child process with cmdtel on sends one OTLP/HTTP request to a loopback listener.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { test } from 'node:test';

const CHILD = `
import { createTelemetry } from 'cmdtel';
const telemetry = createTelemetry({ name: 'smoke', version: '1.0.0' });
telemetry.start({ command: 'deploy', subcommand: 'app' }).end({ exitCode: 3, errorClass: 'auth' });
await telemetry.shutdown();
process.exitCode = 3;
`;

test('OTLP/HTTP: one request with both instruments, delta temporality, exit code kept', async (t) => {
  const requests = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests.push({ path: req.url, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  server.unref();

  // Inline, so the request has arrived when the child exits (background delivery is the default outside CI).
  const env = {
    PATH: process.env.PATH,
    SMOKE_TELEMETRY_URL: `http://127.0.0.1:${server.address().port}`,
    SMOKE_TELEMETRY_ENABLED: '1',
    SMOKE_TELEMETRY_DELIVERY: 'inline',
  };
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], { env, cwd: process.cwd(), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await new Promise((resolve) => child.on('close', resolve));
  clearTimeout(killer);

  assert.equal(code, 3, stderr);
  assert.equal(requests.length, 1);
  assert.equal(requests[0].path, '/v1/metrics');
  const metrics = JSON.parse(requests[0].body).resourceMetrics[0].scopeMetrics[0].metrics;
  assert.deepEqual(metrics.map((m) => m.name).sort(), ['cli.command.duration', 'cli.command.invocations']);
  const counter = metrics.find((m) => m.name === 'cli.command.invocations');
  assert.equal(counter.sum.aggregationTemporality, 1, 'delta');
});
