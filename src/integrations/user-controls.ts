import type { DecisionReason } from '../start/decision.js';
import type { Telemetry, TelemetryStatus } from '../vocabulary/telemetry.js';
import { readUserChoice, saveUserChoice } from '../start/user-choice.js';

/** What `mycli telemetry <action>` can do. */
export type TelemetryAction = 'status' | 'enable' | 'disable';

export interface TelemetryCommandOptions {
  /** The CLI's name as the user types it, for the hints. */
  cliName: string;
  /** Where the text goes. Default: stdout. */
  write?: (text: string) => void;
}

/** What cmdtel records per command, for the status text and docs. */
export const COLLECTED =
  'per command: command and subcommand names, outcome, exit code, error class, duration, CLI version, channel, OS type, organisation id, and who runs it (a person, a script, CI or an AI agent)';
export const NEVER_COLLECTED = 'arguments, file names, free text, user names, host names, object ids or content';

/** Why it is on or off, in the user's words; each names the deciding variable once. */
function reasonText(status: TelemetryStatus, savedChoice: 'on' | 'off' | undefined): string {
  switch (status.reason) {
    case 'opted-out':
      return `${status.source} is set`;
    case 'do-not-track':
      return 'DO_NOT_TRACK is set';
    case 'otel-sdk-disabled':
      return 'OTEL_SDK_DISABLED=true is set';
    case 'no-destination':
      return savedChoice === 'on' ? 'enabled, but there is nowhere to send it' : 'there is nowhere to send it';
    case 'enabled-by-env':
      return `${status.source} is set to on`;
    case 'disabled-by-env':
      return `${status.source} is set to off`;
    case 'enabled-by-user':
      return 'you enabled it';
    case 'disabled-by-user':
      return 'you disabled it';
    case 'distribution-default':
      return "this distribution's default (you can opt out)";
    case 'file-sink':
      return `${status.source} is set`;
    case 'host-meter-provider':
      return "recording into the host program's OpenTelemetry";
    case 'meter-provider-unusable':
      return "the host program's OpenTelemetry MeterProvider cannot be used";
    case 'not-opted-in':
      return 'not enabled (telemetry is opt-in)';
    case 'project-opt-out':
      return `this project opted out (${status.source})`;
    default:
      return String(status.reason);
  }
}

/** Reasons a saved choice cannot change: the environment or the project decides. */
const NOT_BY_CHOICE: ReadonlySet<DecisionReason> = new Set([
  'opted-out',
  'do-not-track',
  'otel-sdk-disabled',
  'enabled-by-env',
  'disabled-by-env',
  'project-opt-out',
]);

/**
 * Runs `mycli telemetry status|enable|disable`: status says whether telemetry
 * is on and why, where it goes and what is collected; enable/disable save the
 * user's choice in the config dir, and say so when something else still
 * decides. Returns the exit code: 0, 1 when the choice could not be saved, 2
 * for an unknown action. Never throws.
 */
export function runTelemetryCommand(telemetry: Telemetry, action: string | undefined, options: TelemetryCommandOptions): number {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const status = telemetry.status;
  if (action === undefined || action === 'status') {
    write(statusText(status, options.cliName));
    return 0;
  }
  if (action !== 'enable' && action !== 'disable') {
    write(`usage: ${options.cliName} telemetry status|enable|disable\n`);
    return 2;
  }
  if (!saveUserChoice(status.configDir, action === 'enable' ? 'on' : 'off')) {
    write(`Could not save the choice in ${status.configDir}; set ${action === 'enable' ? status.env.enabled : status.env.disabled}=1 instead.\n`);
    return 1;
  }
  write(`Telemetry ${action}d for ${options.cliName} (saved in ${status.configDir}).\n`);
  const stillDecides = afterChoiceText(status, action === 'enable');
  if (stillDecides !== undefined) write(`${stillDecides}\n`);
  return 0;
}

/** What keeps the saved choice from taking effect, if anything. */
function afterChoiceText(status: TelemetryStatus, enabling: boolean): string | undefined {
  if (status.reason === 'project-opt-out') return `Note: this project opted out (${status.source}); telemetry stays off here.`;
  if (NOT_BY_CHOICE.has(status.reason)) {
    // Only say it when the variable works against the choice.
    if (enabling !== status.enabled) return `Note: ${status.source} still decides while it is set.`;
    return undefined;
  }
  if (enabling && status.reason === 'no-destination') return `Note: there is nowhere to send it yet; set ${status.env.url} or ${status.env.file}.`;
  return undefined;
}

/** The `telemetry status` text: only suggestions that would work now. */
export function statusText(status: TelemetryStatus, cliName: string): string {
  const savedChoice = status.reason === 'no-destination' ? readUserChoice(status.configDir) : undefined;
  const lines = [
    `Telemetry is ${status.enabled ? 'on' : 'off'}: ${reasonText(status, savedChoice)}.`,
    `Destination: ${status.destination ?? 'none'}`,
    ...(status.meterProviderProblem === undefined ? [] : [`Host MeterProvider not used: ${status.meterProviderProblem}.`]),
    `Collected: ${COLLECTED}.`,
    `Never collected: ${NEVER_COLLECTED}.`,
    howToChange(status, cliName, savedChoice),
  ];
  return `${lines.join('\n')}\n`;
}

function howToChange(status: TelemetryStatus, cliName: string, savedChoice: 'on' | 'off' | undefined): string {
  const { env } = status;
  switch (status.reason) {
    case 'opted-out':
    case 'do-not-track':
    case 'otel-sdk-disabled':
      return `Turn it on: unset ${status.source}.`;
    case 'disabled-by-env':
      return `Turn it on: set ${env.enabled}=1.`;
    case 'enabled-by-env':
      return `Turn it off: set ${env.enabled}=0, or DO_NOT_TRACK=1.`;
    case 'project-opt-out':
      return `Turn it on: only by removing the project's opt-out (${status.source}).`;
    case 'no-destination':
      return savedChoice === 'on'
        ? `Send it somewhere: set ${env.url} or ${env.file}.`
        : `Turn it on: set ${env.url} or ${env.file}, then run ${cliName} telemetry enable.`;
    default:
      return status.enabled
        ? `Turn it off: ${cliName} telemetry disable, or set ${env.disabled}=1 or DO_NOT_TRACK=1.`
        : `Turn it on: ${cliName} telemetry enable, or set ${env.enabled}=1.`;
  }
}
