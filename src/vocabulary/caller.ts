import { AGENT_NAMES, detectAgent } from './caller-agent.js';
import { ciNames, detectCi } from './caller-ci.js';
import type { Env } from './env-names.js';

/**
 * Who runs the command, as one coarse dimension: an AI agent, a CI run, a
 * person at a terminal, or a script. docs/attributes.md has the attribute
 * names and the whole value set.
 */
export type CallerType = 'agent' | 'ci' | 'person' | 'script';

export const CALLER_TYPES: readonly CallerType[] = ['agent', 'ci', 'person', 'script'];

export interface Caller {
  readonly type: CallerType;
  /** The agent (`claude-code`, ...) or CI vendor (`github-actions`, ...); absent for a person or a script. */
  readonly name: string | undefined;
}

/** Whether stdin and stdout are terminals. */
export interface Terminals {
  readonly stdin: boolean;
  readonly stdout: boolean;
}

/**
 * When several apply, the most specific about who typed the command wins:
 * an agent (also inside CI — a cloud agent runs in a CI job, but the agent
 * decides what to run), then CI (also when the runner gives the job a
 * pseudo-terminal), then a person (stdin or stdout is a terminal: one end of
 * the command is a person, as in `mycli ls | less`), else a script.
 */
export function detectCaller(env: Env, terminals: Terminals): Caller {
  const agent = detectAgent(env);
  if (agent !== undefined) return { type: 'agent', name: agent };
  const ci = detectCi(env);
  if (ci !== undefined) return { type: 'ci', name: ci };
  return { type: terminals.stdin || terminals.stdout ? 'person' : 'script', name: undefined };
}

let callerNamesList: readonly string[] | undefined;

/** Every name `cli.caller.name` can take (agents, then CI vendors); both lists end in `other`. Computed on first use. */
export function callerNames(): readonly string[] {
  callerNamesList ??= [...new Set([...AGENT_NAMES, ...ciNames()])];
  return callerNamesList;
}
