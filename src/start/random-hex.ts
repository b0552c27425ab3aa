/**
 * Random lowercase hex for ids that must be unique, not secret: trace ids and
 * spool line ids. Math.random is seeded per process from the OS's entropy;
 * OpenTelemetry's own JS id generator uses it the same way. node:crypto would
 * cost ≈ 3 ms to load on every command, more than a file-sink command may add.
 */
export function randomHex(bytes: number): string {
  let hex = '';
  for (let i = 0; i < bytes; i += 1)
    hex += Math.floor(Math.random() * 256)
      .toString(16)
      .padStart(2, '0');
  return hex;
}

/**
 * A stable 64-bit fingerprint (two 32-bit FNV-1a lanes) as 16 hex: names a
 * directory after its content. Not a security measure — see randomHex.
 */
export function fingerprint(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
