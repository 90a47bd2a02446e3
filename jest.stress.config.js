import { defineStressJestProject } from 'vitest-stress/jest-config';

// `npm run stress:jest`: the repository's stress suite under Jest (ESM, no transform), against the reference
// system, with the settings of the Vitest stress project in vitest.config.ts. Needs `npm run build` first.
export default {
  rootDir: import.meta.dirname,
  reporters: ['default', 'vitest-stress/jest-reporter'],
  projects: [
    defineStressJestProject(
      {
        root: import.meta.dirname,
        include: ['test/stress-jest/**/*.stress.test.js'],
        thresholds: { success_rate: '>= 0.99', 'invariants.lost': '== 0', 'invariants.duplicated': '== 0' },
        outputDir: process.env.STRESS_OUT_DIR ?? 'logs',
      },
      { transform: {} },
    ),
  ],
};
