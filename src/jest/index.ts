import fc from 'fast-check';

export * from '../suite/front-end-exports.ts';
export { type StressMatchers, stressMatchers } from './matchers.ts';
export {
  currentJestProjectOptions,
  type JestStressContext,
  type JestStressTestAPI,
  type JestStressTestBody,
  type JestStressTestOptions,
  stressTest,
} from './stress-test.ts';

/** fast-check, re-exported so tests build arbitraries with the same instance vitest-stress uses. */
export { fc };
