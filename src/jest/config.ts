// The entry a jest.config loads: it must not import `@jest/globals`, which throws outside a test file.

export type { StressProjectOptions } from '../suite/stress-project-options.ts';
export {
  defineStressJestProject,
  type JestProjectOverrides,
  type StressJestProject,
} from './define-stress-jest-project.ts';
export type { StressJestReporterOptions } from './stress-jest-reporter.ts';
