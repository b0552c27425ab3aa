import { COARSE_TOKEN } from '../vocabulary/coarse.js';
import type { loadZod } from './zod-loader.js';

type Zod = ReturnType<typeof loadZod>;
interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

/**
 * How one kind of environment value is validated. zod (`schema`) is the
 * validator of record. `canonical` recognises the plain spelling of a good
 * value — `1500`, `http://host:4318`, `inline` — and accepts it without
 * loading zod; it must accept nothing that `schema` would reject (each one
 * below is the same rule, narrowed). Anything else goes to zod, which either
 * accepts it (a timeout of `1.5e3`, a URL with a query) or yields the warning.
 */
export interface ValueCheck<T> {
  readonly canonical: (value: string) => T | undefined;
  readonly schema: (z: Zod) => Schema<T>;
}

/** A timeout longer than this is a typo, not a wish: the command would wait that long. */
export const MAX_TIMEOUT_MS = 60_000;

export const timeoutCheck: ValueCheck<number> = {
  canonical: (value) => (/^[1-9][0-9]{0,4}$/.test(value) && Number(value) <= MAX_TIMEOUT_MS ? Number(value) : undefined),
  schema: (z) => z.coerce.number().check(z.int(), z.positive(), z.lte(MAX_TIMEOUT_MS)),
};

export const coarseTokenCheck: ValueCheck<string> = {
  canonical: (value) => (COARSE_TOKEN.test(value) ? value : undefined),
  schema: (z) => z.string().check(z.regex(COARSE_TOKEN)),
};

const PRINTABLE = /^[\x21-\x7e]+$/;
export const tokenCheck: ValueCheck<string> = {
  canonical: (value) => (PRINTABLE.test(value) ? value : undefined),
  schema: (z) => z.string().check(z.regex(PRINTABLE)),
};

const PLAIN_HTTP_URL = /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?(\/[A-Za-z0-9._~%/-]*)?$/;
export const httpUrlCheck: ValueCheck<string> = {
  canonical: (value) => (PLAIN_HTTP_URL.test(value) && URL.canParse(value) ? value : undefined),
  schema: (z) => z.url({ protocol: /^https?$/ }),
};

export function oneOfCheck<const T extends string>(values: readonly [T, ...T[]]): ValueCheck<T> {
  return {
    canonical: (value) => (values.includes(value as T) ? (value as T) : undefined),
    schema: (z) => z.enum(values) as unknown as Schema<T>,
  };
}
