import type { DecisionReason } from '../start/decision.js';
import type { Telemetry, TelemetryStatus } from '../vocabulary/telemetry.js';
import { saveUserChoice } from '../start/user-choice.js';

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
  'per command: command and subcommand names, outcome, exit code, error class, duration, CLI version, channel, OS type, organisation id';
export const NEVER_COLLECTED = 'arguments, file names, free text, user names, host names, object ids or content';

const REASONS: Record<DecisionReason, string> = {
  'opted-out': 'opted out by environment variable',
  'do-not-track': 'DO_NOT_TRACK is set',
  'otel-sdk-disabled': 'OTEL_SDK_DISABLED=true is set',
  'no-destination': 'there is nowhere to send it',
  'enabled-by-env': 'enabled by environment variable',
  'disabled-by-env': 'disabled by environment variable',
  'enabled-by-user': 'you enabled it',
  'disabled-by-user': 'you disabled it',
  'distribution-default': "this distribution's default (you can opt out)",
  'file-sink': 'a telemetry file is set',
  'host-meter-provider': "recording into the host program's OpenTelemetry",
  'meter-provider-unusable': "the host program's OpenTelemetry MeterProvider cannot be used",
  'not-opted-in': 'not enabled (telemetry is opt-in)',
};

/** Reasons decided by the environment: a saved choice does not change them. */
const ENV_DECIDED: ReadonlySet<DecisionReason> = new Set(['opted-out', 'do-not-track', 'otel-sdk-disabled', 'enabled-by-env', 'disabled-by-env']);

/**
 * Runs `mycli telemetry status|enable|disable`: status says whether telemetry
 * is on and why, where it goes and what is collected; enable/disable save the
 * user's choice in the config dir (environment variables still win, and the
 * text says so). Returns the exit code: 0, 1 when the choice could not be
 * saved, 2 for an unknown action. Never throws.
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
  if (ENV_DECIDED.has(status.reason)) write(`Note: ${status.source} is set and still decides while it is.\n`);
  return 0;
}

/** The `telemetry status` text. */
export function statusText(status: TelemetryStatus, cliName: string): string {
  const lines = [
    `Telemetry is ${status.enabled ? 'on' : 'off'}: ${REASONS[status.reason] ?? status.reason} (${status.source}).`,
    `Destination: ${status.destination ?? 'none'}`,
    ...(status.meterProviderProblem === undefined ? [] : [`Host MeterProvider not used: ${status.meterProviderProblem}.`]),
    `Collected: ${COLLECTED}.`,
    `Never collected: ${NEVER_COLLECTED}.`,
    status.enabled
      ? `Turn it off: ${cliName} telemetry disable, or set ${status.env.disabled}=1 or DO_NOT_TRACK=1.`
      : `Turn it on: ${cliName} telemetry enable, or set ${status.env.enabled}=1 (a destination such as ${status.env.url} or ${status.env.file} is needed).`,
  ];
  return `${lines.join('\n')}\n`;
}
