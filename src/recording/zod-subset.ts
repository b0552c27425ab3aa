/**
 * The parts of zod/mini that config.ts uses. Bundled on its own into
 * dist/vendor/zod.cjs so only these are shipped and parsed (tree-shaken from
 * the whole library), and loaded only once telemetry is on.
 */
export { coerce, enum, int, lte, positive, regex, string, url } from 'zod/mini';
