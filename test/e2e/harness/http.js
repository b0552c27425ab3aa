// fetch() with a timeout that never keeps the test process alive afterwards (a pending
// AbortSignal.timeout() timer would hold the event loop open until it fires).

/**
 * fetch(), aborted after `timeoutMs`; the body is read before the timer is cleared.
 * @param {string} url
 * @param {RequestInit & { timeoutMs?: number }} [init]
 * @returns {Promise<{ status: number, headers: Headers, text: string }>}
 */
export async function fetchText(url, { timeoutMs = 10_000, ...init } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`${init.method ?? 'GET'} ${url} timed out after ${timeoutMs} ms`)), timeoutMs);
  try {
    const response = await fetch(url, { ...init, signal: controller.signal });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * {@link fetchText} and JSON.parse of the body.
 * @param {string} url
 * @param {RequestInit & { timeoutMs?: number }} [init]
 * @returns {Promise<{ status: number, body: any }>}
 */
export async function fetchJson(url, init) {
  const { status, text } = await fetchText(url, init);
  return { status, body: JSON.parse(text) };
}
