/** Why telemetry is on or off; `telemetry status` shows it to the user. */
export type DecisionReason =
  | 'opted-out'
  | 'do-not-track'
  | 'otel-sdk-disabled'
  | 'no-destination'
  | 'enabled-by-env'
  | 'disabled-by-env'
  | 'enabled-by-user'
  | 'disabled-by-user'
  | 'distribution-default'
  | 'file-sink'
  | 'host-meter-provider'
  | 'meter-provider-unusable'
  | 'not-opted-in'
  | 'project-opt-out';
