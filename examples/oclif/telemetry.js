// The one telemetry of this process, shared by cli.js and the telemetry command.
import { createTelemetry } from 'cmdtel';

export const telemetry = createTelemetry({ name: 'tasks', version: '2.0.1', userControls: true });
