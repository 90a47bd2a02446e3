// The engine API: `vitest-stress`. The Vitest integration is `vitest-stress/vitest`.
export * from './engine/index.ts';
export * from './node/index.ts';
// Node's `runStress` (reference target by default) is the public one; the engine's generic form needs a target.
export { runStress } from './node/index.ts';
export * from './protocol/index.ts';
export * from './queue/index.ts';
