// The TypeScript a consumer of cmdtel writes: the calls docs/integrations.md documents, with no
// casts, and the two module settings a strict project uses. Used by typescript-consumers.test.js.

/** module / moduleResolution pairs: Node's own ESM resolution, and a bundler's. */
export const TSCONFIGS = {
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
};

/** The documented calls, one file per integration; none has a cast. */
export const SOURCES = {
  'core.ts': `
import { createTelemetry, CmdtelOptionsError, INVOCATIONS_METRIC, type Telemetry, type TelemetryOptions } from 'cmdtel';
import { runTelemetryCommand, statusText } from 'cmdtel/user-controls';
const options: TelemetryOptions = { name: 'tasks', version: '2.0.1', defaults: { url: 'https://telemetry.example.com/v1/metrics' } };
const telemetry: Telemetry = createTelemetry(options);
const invocation = telemetry.start({ command: 'task', subcommand: 'add' });
invocation.end({ exitCode: 0 });
const id: string = invocation.traceId;
const code: number = runTelemetryCommand(telemetry, 'status', { cliName: 'tasks' });
const text: string = statusText(telemetry.status, 'tasks');
export const seen = [id, code, text, INVOCATIONS_METRIC, CmdtelOptionsError.name];
await telemetry.shutdown();
`,
  'commander-cli.ts': `
import { Command } from 'commander';
import { createTelemetry } from 'cmdtel';
import { runCommander } from 'cmdtel/commander';
const telemetry = createTelemetry({ name: 'tasks', version: '2.0.1' });
const program = new Command('tasks');
program.command('cache:clear').action(() => {});
const code: number = await runCommander(program, telemetry, process.argv);
export { code };
`,
  'yargs-cli.ts': `
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { createTelemetry } from 'cmdtel';
import { runYargs } from 'cmdtel/yargs';
const telemetry = createTelemetry({ name: 'tasks', version: '2.0.1' });
const code: number = await runYargs(yargs(hideBin(process.argv)).command('add <text>', 'add a task', () => {}, () => {}).strict(), telemetry);
await runYargs(yargs(hideBin(process.argv)), telemetry);
export { code };
`,
  'oclif-cli.ts': `
import * as oclif from '@oclif/core';
import { createTelemetry } from 'cmdtel';
import { runOclif } from 'cmdtel/oclif';
const telemetry = createTelemetry({ name: 'tasks', version: '2.0.1' });
const code: number = await runOclif(oclif, telemetry, { dir: import.meta.url });
await runOclif(oclif, telemetry, { dir: import.meta.url, argv: ['task:add'] });
export { code };
`,
};

/** Host mode: only where @opentelemetry/api (and a host's SDK) is installed. */
export const HOST_SOURCES = {
  'host-node-sdk.ts': `
import { metrics } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { createTelemetry } from 'cmdtel';
const sdk = new NodeSDK({ serviceName: 'tasks' });
sdk.start();
const telemetry = createTelemetry({ name: 'tasks', meterProvider: metrics.getMeterProvider() });
const global = createTelemetry({ name: 'tasks', useGlobalMeterProvider: true });
export const enabled = [telemetry.enabled, global.enabled];
`,
  'host-meter-provider.ts': `
import { MeterProvider, PeriodicExportingMetricReader, ConsoleMetricExporter } from '@opentelemetry/sdk-metrics';
import type { MeterProvider as ApiMeterProvider } from '@opentelemetry/api';
import { createTelemetry } from 'cmdtel';
const provider = new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter: new ConsoleMetricExporter() })] });
const telemetry = createTelemetry({ name: 'tasks', meterProvider: provider });
const asApi: ApiMeterProvider = provider;
const viaApiType = createTelemetry({ name: 'tasks', meterProvider: asApi });
export const enabled = [telemetry.enabled, viaApiType.enabled];
`,
};
