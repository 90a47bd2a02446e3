import { expect } from '@jest/globals';
import { type StressMatchers, stressMatchers } from '../suite/stress-matchers.ts';

export { type StressMatchers, stressMatchers };

declare module 'expect' {
  interface Matchers<R extends void | Promise<void>, T = unknown> extends StressMatchers<R> {}
}

declare global {
  namespace jest {
    // The global `expect` of @types/jest, when a project uses it.
    interface Matchers<R, T = {}> extends StressMatchers<R> {}
  }
}

expect.extend(stressMatchers);
