import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { toolVersion } from '../../io/tool-version.ts';
import { checkCapacity } from './check-capacity.ts';
import { checkConcurrentAccess } from './check-concurrent-access.ts';
import { checkMemoryBounds } from './check-memory-bounds.ts';
import { checkOrdering } from './check-ordering.ts';
import { checkPriority } from './check-priority.ts';
import { checkThroughput } from './check-throughput.ts';
import type {
  QueueCheck,
  QueueCheckLimits,
  QueueCheckName,
  QueueCheckOutcome,
  QueueCheckResult,
} from './queue-check.ts';
import { resolveValidateQueueOptions, type ValidateQueueOptions } from './validate-queue-options.ts';

/** What `validate queue` writes to `logs/queue_behavior_validation.json`; JSON-plain. */
export interface QueueValidationReport {
  readonly schema_version: 1;
  /** True when every check passed. */
  readonly ok: boolean;
  /** The queue under test. */
  readonly subject: string;
  readonly started_at: string;
  readonly wall_time_ms: number;
  readonly tool_version: string;
  readonly node_version: string;
  readonly summary: {
    readonly total: number;
    readonly passed: number;
    readonly failed: number;
    /** Passed / total, 0..1. */
    readonly pass_rate: number;
  };
  readonly limits: QueueCheckLimits;
  readonly checks: readonly QueueCheckResult[];
}

const CHECKS: Readonly<Record<QueueCheckName, QueueCheck>> = {
  capacity: checkCapacity,
  ordering: checkOrdering,
  priority: checkPriority,
  concurrent_access: checkConcurrentAccess,
  memory_bounds: checkMemoryBounds,
  throughput: checkThroughput,
};

/**
 * Validates a queue's behaviour under load: capacity, FIFO, priority, concurrent access on a file store,
 * memory bounds and throughput, each on its own fresh store (file stores in new temporary directories that
 * are removed afterwards, never a shared or production queue). A check that throws counts as failed.
 * @example
 * const report = await validateQueueBehavior({ checks: ['capacity', 'ordering'] });
 * if (!report.ok) console.log(formatQueueValidation(report));
 */
export async function validateQueueBehavior(
  options: ValidateQueueOptions = {},
  onCheck?: (result: QueueCheckResult) => void,
): Promise<QueueValidationReport> {
  const resolved = resolveValidateQueueOptions(options);
  const started = performance.now();
  const startedAt = new Date().toISOString();
  await mkdir(resolved.tempRoot, { recursive: true });
  const base = await mkdtemp(join(resolved.tempRoot, 'validate-queue-'));
  let made = 0;
  const tempDirectory = async (): Promise<string> => {
    made++;
    const directory = join(base, `store-${made}`);
    await mkdir(directory);
    return directory;
  };
  const results: QueueCheckResult[] = [];
  try {
    for (const name of resolved.checks) {
      const checkStart = performance.now();
      let result: QueueCheckOutcome;
      try {
        result = await CHECKS[name]({ subject: resolved.subject, limits: resolved.limits, tempDirectory });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        result = {
          name,
          ok: false,
          summary: 'threw',
          failures: [`The check threw: ${reason}`],
          measured: {},
        };
      }
      const full = { ...result, wall_time_ms: Math.round((performance.now() - checkStart) * 1000) / 1000 };
      results.push(full);
      onCheck?.(full);
    }
  } finally {
    await rm(base, { recursive: true, force: true });
  }
  const passed = results.filter((result) => result.ok).length;
  return {
    schema_version: 1,
    ok: passed === results.length,
    subject: resolved.subject.name,
    started_at: startedAt,
    wall_time_ms: Math.round((performance.now() - started) * 1000) / 1000,
    tool_version: toolVersion(),
    node_version: process.version,
    summary: {
      total: results.length,
      passed,
      failed: results.length - passed,
      pass_rate: results.length === 0 ? 0 : passed / results.length,
    },
    limits: resolved.limits,
    checks: results,
  };
}
