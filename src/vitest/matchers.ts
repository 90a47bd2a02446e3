import { expect } from 'vitest';
import { type StressMatchers, stressMatchers } from '../suite/stress-matchers.ts';

export { type StressMatchers, stressMatchers };

declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: the declaration must match Vitest's own `Matchers<T = any>`.
  interface Matchers<T = any> extends StressMatchers<T> {}
}

expect.extend(stressMatchers);
