/**
 * Where OTLP metrics go, per the OpenTelemetry spec for the standard
 * variables: the signal-specific endpoint is used as given, the generic one
 * gets `v1/metrics` appended. cmdtel's own URL is friendlier than the
 * reference's "exactly as given" (which sent every event to a 404): a URL
 * with no path gets `/v1/metrics`, a URL with a path is used exactly.
 */
export function withMetricsPath(url: string): string {
  const parsed = new URL(url);
  if (parsed.pathname === '/' || parsed.pathname === '') {
    parsed.pathname = '/v1/metrics';
    return parsed.toString();
  }
  return url;
}

export function appendMetricsPath(baseUrl: string): string {
  return baseUrl.endsWith('/') ? `${baseUrl}v1/metrics` : `${baseUrl}/v1/metrics`;
}

/**
 * The `OTEL_EXPORTER_OTLP_HEADERS` format: `key=value,key2=value2`, values
 * percent-encoded. Returns undefined when any entry is malformed.
 */
export function parseOtlpHeaders(text: string): Record<string, string> | undefined {
  const headers: Record<string, string> = {};
  for (const entry of text.split(',')) {
    if (entry.trim() === '') continue;
    const eq = entry.indexOf('=');
    if (eq <= 0) return undefined;
    const key = entry.slice(0, eq).trim();
    let value: string;
    try {
      value = decodeURIComponent(entry.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key) || /[\r\n]/.test(value)) return undefined;
    headers[key] = value;
  }
  return headers;
}
