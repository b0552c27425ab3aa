import { fileURLToPath } from 'node:url';

/**
 * The absolute path of a file shipped in the package, given relative to the package root.
 * The CLI is built to dist/cli/main.js, two levels below the root, and the shipped configs, rules and
 * docs sit beside dist/ in the tarball as in the repository.
 */
export function packageFile(relativePath: string): string {
  return fileURLToPath(new URL(`../../${relativePath}`, import.meta.url));
}
