/**
 * Loads the bundled OTLP pipeline (dist/otlp-pipeline.js) on first use. The
 * specifier is a variable so the build leaves it as a separate file instead
 * of inlining the SDK into the module every CLI imports.
 */
type PipelineModule = typeof import('./pipeline.js');

const PIPELINE_FILE = './otlp-pipeline.js';

export function loadPipeline(): Promise<PipelineModule> {
  return import(PIPELINE_FILE) as Promise<PipelineModule>;
}
