import { defineConfig } from 'vitest/config';
import { defineStressProject } from './src/vitest/define-stress-project.ts';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/stress/**', 'test/e2e/**', '**/node_modules/**'],
          environment: 'node',
          globalSetup: ['test/support/shared-temp-directory.ts'],
        },
      },
      // Real Vitest runs of fixtures/vitest-projects/*, one at a time (each starts its own workers).
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          globalSetup: ['test/support/shared-temp-directory.ts'],
        },
      },
      // The main job: `npx vitest run --project stress` runs test/stress against the reference system.
      defineStressProject({
        include: ['test/stress/**/*.stress.test.ts'],
        thresholds: { success_rate: '>= 0.99', 'invariants.lost': '== 0', 'invariants.duplicated': '== 0' },
        // The e2e test that compares this run with `npm run stress:jest` sends both runs' files elsewhere.
        outputDir: process.env.STRESS_OUT_DIR ?? 'logs',
      }),
    ],
  },
});
