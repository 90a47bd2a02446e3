import type { StressReport } from '../../src/engine/index.ts';
import { runStress } from '../../src/reference/run-stress.ts';
import {
  createStressTestRecord,
  type StressTestRecord,
  summarizeTestReports,
} from '../../src/report/index.ts';

/** Two small real reports (one with chaos and a failing threshold), shared by the report tests. */
export async function sampleReports(): Promise<{ plain: StressReport; chaotic: StressReport }> {
  const plain = await runStress({ agents: 3, messagesPerAgent: 20, thresholds: { success_rate: '>= 0.99' } });
  const chaotic = await runStress({
    agents: 2,
    messagesPerAgent: 15,
    chaos: 'original',
    seed: 7,
    thresholds: { 'latency_stats.p99_ms': '< 1' },
  });
  return { plain, chaotic };
}

/** A passing test record and a failing one (test error, failing threshold, an isolation violation, a replay). */
export function sampleRecords(reports: { plain: StressReport; chaotic: StressReport }): StressTestRecord[] {
  return [
    createStressTestRecord(
      { name: 'suite > plain | piped', file: 'test/a.stress.test.ts' },
      summarizeTestReports([reports.plain], { options: { agents: 3 } }),
    ),
    createStressTestRecord(
      { name: 'chaos run', file: 'test/b.stress.test.ts', state: 'failed', errors: ['boom'] },
      summarizeTestReports([reports.plain, reports.chaotic], {
        representative: reports.chaotic,
        isolation: {
          mode: 'block',
          violations: [
            { kind: 'network', target: '127.0.0.1:80', api: 'net.connect', test: 'chaos run', blocked: true },
          ],
        },
        replay: {
          seed: 42,
          path: '1:2',
          command: 'STRESS_SEED=42 STRESS_PATH=1:2 npx vitest run',
          counterexample: 'ce',
        },
      }),
    ),
  ];
}
