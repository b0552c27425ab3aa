import { loadBundle } from '../../start/late-load.js';

type PipelineModule = typeof import('./pipeline.js');

/**
 * Loads the bundled OTLP pipeline (dist/delivery/otlp-pipeline.cjs) on first use, with
 * late-load.ts, from the recording stage (inline delivery) or the sender alike: a path
 * from `dist/<stage>/`, so the build leaves it a file of its own instead of inlining
 * the SDK into the bundles that load it.
 */
export function loadPipeline(): Promise<PipelineModule> {
  try {
    return Promise.resolve(loadBundle('../delivery/otlp-pipeline.cjs') as PipelineModule);
  } catch (error) {
    return Promise.reject(error);
  }
}
