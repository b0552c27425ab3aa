// A loopback stand-in for the SLS OpenAPI endpoints cmdtel-sls uses (GetDashboard, CreateDashboard,
// UpdateDashboard, GetAlert, CreateAlert, UpdateAlert; API 2020-12-30), recording every request the
// official SDK sends: method, path, headers, body. Objects are kept in memory; GET answers with the
// stored object plus the fields SLS adds itself (times, status), so a client that compares whole
// objects would see a difference where there is none. Listens on 127.0.0.1 only.
import { createServer } from 'node:http';

/** Starts the stand-in; resolves with { port, requests, store, failNext, stop }. */
export async function startSlsStandIn() {
  const requests = [];
  const store = { dashboards: new Map(), alerts: new Map() };
  let failures = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = raw === '' ? undefined : JSON.parse(raw);
      const url = new URL(req.url, 'http://stand-in');
      requests.push({ method: req.method, path: url.pathname, query: url.search, headers: { ...req.headers }, body, raw });
      const send = (status, payload) => {
        res.writeHead(status, { 'content-type': 'application/json', 'x-log-requestid': `standin-${requests.length}` });
        res.end(payload === undefined ? '' : JSON.stringify(payload));
      };
      const failure = failures.find((f) => f.method === req.method);
      if (failure) {
        failures = failures.filter((f) => f !== failure);
        send(failure.status, { errorCode: failure.code, errorMessage: 'stand-in failure' });
        return;
      }
      const [, kind, name] = /^\/(dashboards|alerts)(?:\/([^/]+))?$/.exec(url.pathname) ?? [];
      if (!kind) {
        send(404, { errorCode: 'NotFound', errorMessage: `no such path ${url.pathname}` });
        return;
      }
      const map = store[kind];
      const notExist = kind === 'dashboards' ? 'DashboardNotExist' : 'JobNotExist';
      if (req.method === 'GET' && name) {
        if (!map.has(name)) send(404, { errorCode: notExist, errorMessage: `${name} does not exist` });
        else send(200, { ...map.get(name), createTime: 1764000000, lastModifiedTime: 1764000001, ...(kind === 'alerts' ? { status: 'ENABLED' } : {}) });
      } else if (req.method === 'POST' && !name) {
        const id = kind === 'dashboards' ? body.dashboardName : body.name;
        if (map.has(id)) send(400, { errorCode: kind === 'dashboards' ? 'DashboardAlreadyExist' : 'JobAlreadyExist', errorMessage: `${id} exists` });
        else {
          map.set(id, structuredClone(body));
          send(200);
        }
      } else if (req.method === 'PUT' && name) {
        if (!map.has(name)) send(404, { errorCode: notExist, errorMessage: `${name} does not exist` });
        else {
          map.set(name, { ...(kind === 'alerts' ? { name } : {}), ...structuredClone(body) });
          send(200);
        }
      } else {
        send(405, { errorCode: 'MethodNotAllowed', errorMessage: `${req.method} ${url.pathname}` });
      }
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: server.address().port,
    requests,
    store,
    /** The next request with this method answers `status` with SLS error `code`. */
    failNext(method, status, code) {
      failures.push({ method, status, code });
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
