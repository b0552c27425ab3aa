import type { Env } from './env-names.js';

/**
 * Which AI coding agent runs the command, from the variables the agents set
 * in the shells they spawn. The recorded name is always one of
 * {@link AGENT_NAMES}: whatever an agent calls itself, no version and no free
 * text reaches a metric (docs/attributes.md lists the markers and why).
 */

/** Every name this dimension can take for an agent; `other` for an agent that is not in the list. */
export const AGENT_NAMES = ['claude-code', 'cursor', 'gemini-cli', 'codex', 'opencode', 'github-copilot', 'amp', 'goose', 'other'] as const;

export type AgentName = (typeof AGENT_NAMES)[number];

/** What agents call themselves in `AI_AGENT` / `AGENT`, after normalisation → the recorded name. */
const SELF_NAMES: Readonly<Record<string, AgentName>> = {
  'claude-code': 'claude-code',
  claude: 'claude-code',
  claudecode: 'claude-code',
  cursor: 'cursor',
  'cursor-cli': 'cursor',
  'cursor-agent': 'cursor',
  gemini: 'gemini-cli',
  'gemini-cli': 'gemini-cli',
  codex: 'codex',
  'codex-cli': 'codex',
  opencode: 'opencode',
  copilot: 'github-copilot',
  'copilot-cli': 'github-copilot',
  'github-copilot': 'github-copilot',
  amp: 'amp',
  goose: 'goose',
};

/**
 * Variables one agent sets for the commands it runs, checked in this order.
 * Only exact names: a prefix such as `COPILOT_*` would also match settings a
 * person exports in their own shell (`COPILOT_GITHUB_TOKEN`).
 */
const MARKERS: ReadonlyArray<readonly [variable: string, agent: AgentName]> = [
  ['CLAUDECODE', 'claude-code'],
  ['CLAUDE_CODE', 'claude-code'],
  ['CURSOR_AGENT', 'cursor'],
  ['GEMINI_CLI', 'gemini-cli'],
  ['CODEX_SANDBOX', 'codex'],
  ['CODEX_THREAD_ID', 'codex'],
  ['OPENCODE', 'opencode'],
  ['COPILOT_CLI', 'github-copilot'],
  ['COPILOT_AGENT', 'github-copilot'],
  ['COPILOT_AGENT_SESSION_ID', 'github-copilot'],
  ['GOOSE_TERMINAL', 'goose'],
];

/** The variables that name themselves: the cross-agent `AI_AGENT`, and `AGENT` (Goose, Amp, OpenCode). */
export const SELF_NAMING_VARIABLES = { aiAgent: 'AI_AGENT', agent: 'AGENT' } as const;

const FALSY = new Set(['0', 'false', 'no', 'off']);

/**
 * The agent running this process, or undefined when none is detected.
 * `AI_AGENT` first (its value names the agent), then each agent's own marker,
 * then the generic `AGENT`. A marker set to `0/false/no/off` counts as unset.
 */
export function detectAgent(env: Env): AgentName | undefined {
  const declared = present(env, SELF_NAMING_VARIABLES.aiAgent);
  if (declared !== undefined) return normaliseAgentName(declared);
  for (const [variable, agent] of MARKERS) if (present(env, variable) !== undefined) return agent;
  const generic = present(env, SELF_NAMING_VARIABLES.agent);
  if (generic !== undefined) return normaliseAgentName(generic);
  return undefined;
}

/**
 * A self-declared agent name → one of {@link AGENT_NAMES}. Versions are cut
 * off wherever agents put them: `claude-code_2.1.3_agent` (Claude Code),
 * `cursor-cli@1` (the `name@version` convention), `codex/0.9`, `goose 1.2`.
 * A value that is only a switch (`AGENT=1`, as OpenCode sets it) says "an
 * agent" without saying which: `other`, like every name not in the list.
 */
export function normaliseAgentName(value: string): AgentName {
  const base =
    value
      .trim()
      .toLowerCase()
      .split(/[@_/:\s]/, 1)[0] ?? '';
  return SELF_NAMES[base] ?? 'other';
}

function present(env: Env, variable: string): string | undefined {
  const value = env[variable]?.trim();
  if (value === undefined || value === '' || FALSY.has(value.toLowerCase())) return undefined;
  return value;
}
