/**
 * Just enough HCL (Terraform's configuration language) to write the SLS module: attributes,
 * nested blocks, and JSON-like values (strings, numbers, booleans, lists, objects) laid out the way
 * `terraform fmt` lays them out, so the generated files pass `terraform fmt -check` unchanged.
 */

const SENTINEL = '\u0000';

/** A value that is written as a bare Terraform expression (`var.project`), not as a string. */
export function expression(text) {
  return `${SENTINEL}${text}${SENTINEL}`;
}

const isExpression = (value) => typeof value === 'string' && value.startsWith(SENTINEL) && value.endsWith(SENTINEL);

/** A quoted HCL string: JSON escapes, plus `$${` and `%%{` so nothing is interpolated. */
export function quote(text) {
  return JSON.stringify(text)
    .replace(/\$\{/g, () => '$${')
    .replace(/%\{/g, () => '%%{');
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const key = (name) => (IDENTIFIER.test(name) ? name : quote(name));

/** A value as HCL text; nested lists and objects break over lines, indented by `indent` spaces. */
export function value(v, indent = 0) {
  if (isExpression(v)) return v.slice(1, -1);
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  const pad = ' '.repeat(indent + 2);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (v.every((x) => typeof x !== 'object' || x === null || isExpression(x))) return `[${v.map((x) => value(x)).join(', ')}]`;
    return `[\n${v.map((x) => `${pad}${value(x, indent + 2)},`).join('\n')}\n${' '.repeat(indent)}]`;
  }
  const entries = Object.entries(v);
  if (entries.length === 0) return '{}';
  return `{\n${attributes(entries, indent + 2)}\n${' '.repeat(indent)}}`;
}

/**
 * `name = value` lines at `indent`, with the `=` of consecutive single-line attributes aligned
 * (terraform fmt's rule: an attribute with a multi-line value stands alone, unaligned).
 */
export function attributes(entries, indent) {
  const pad = ' '.repeat(indent);
  const rendered = entries.map(([name, v]) => [key(name), value(v, indent)]);
  const lines = [];
  let run = [];
  const flush = () => {
    const width = Math.max(...run.map(([k]) => k.length));
    for (const [k, text] of run) lines.push(`${pad}${k.padEnd(width)} = ${text}`);
    run = [];
  };
  for (const [k, text] of rendered) {
    if (text.includes('\n')) {
      if (run.length > 0) flush();
      lines.push(`${pad}${k} = ${text}`);
    } else {
      run.push([k, text]);
    }
  }
  if (run.length > 0) flush();
  return lines.join('\n');
}

/**
 * A block: `type "label" ... { attributes, then nested blocks }`.
 * @param {string} type
 * @param {string[]} labels
 * @param {[string, unknown][]} attrs
 * @param {string[]} blocks already rendered nested blocks (at indent + 2)
 */
export function block(type, labels, attrs, blocks = [], indent = 0) {
  const pad = ' '.repeat(indent);
  const head = [type, ...labels.map(quote)].join(' ');
  const body = [];
  if (attrs.length > 0) body.push(attributes(attrs, indent + 2));
  for (const nested of blocks) body.push(nested);
  return `${pad}${head} {\n${body.join('\n\n')}\n${pad}}`;
}
