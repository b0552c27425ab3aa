/**
 * Loads the bundled OTLP pipeline (dist/delivery/otlp-pipeline.js) on first use. The
 * specifier is a variable so the build leaves it as a separate file instead
 * of inlining the SDK into the module every CLI imports.
 */
type PipelineModule = typeof import('./pipeline.js');

// Relative to the bundle that runs this: dist/recording/ or dist/delivery/, so one path serves both.
const PIPELINE_FILE = '../delivery/otlp-pipeline.js';

export function loadPipeline(): Promise<PipelineModule> {
  return import(PIPELINE_FILE) as Promise<PipelineModule>;
}
