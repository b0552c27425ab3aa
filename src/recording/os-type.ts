/**
 * The OS as the OpenTelemetry `os.type` convention spells it. Node's own
 * names differ for two platforms (win32, sunos).
 */
const OS_TYPE_BY_PLATFORM: Readonly<Record<string, string>> = {
  win32: 'windows',
  darwin: 'darwin',
  linux: 'linux',
  freebsd: 'freebsd',
  openbsd: 'openbsd',
  netbsd: 'netbsd',
  sunos: 'solaris',
  aix: 'aix',
};

export function osType(platform: string = process.platform): string {
  return OS_TYPE_BY_PLATFORM[platform] ?? 'other';
}
