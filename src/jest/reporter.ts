import StressJestReporter from './stress-jest-reporter.ts';

export type { StressJestReporterOptions } from './stress-jest-reporter.ts';
/** The reporter Jest loads by name: `reporters: ['default', 'vitest-stress/jest-reporter']`. */
export default StressJestReporter;
