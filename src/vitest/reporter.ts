import { StressReporter } from './stress-reporter.ts';

/** The stress reporter as Vitest loads it by path (`'vitest-stress/reporter'`): the default export is the class. */
export default StressReporter;
