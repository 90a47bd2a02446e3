// The reference system as a stress target, and `runStress` with Node's defaults (the reference target, the
// tool's version in every report).
export { createReferenceTarget, REFERENCE_STORE_TEMP_PREFIX } from './reference-target.ts';
export {
  type ReferenceTargetOptions,
  type ResolvedReferenceTargetOptions,
  resolveReferenceTargetOptions,
} from './reference-target-options.ts';
export {
  createStressRunner,
  type NodeStressOptions,
  nodeRunEnvironment,
  runStress,
  withNodeDefaults,
} from './run-stress.ts';
