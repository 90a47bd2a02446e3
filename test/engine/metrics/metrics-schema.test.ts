import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METRICS_SCHEMA } from '../../../src/engine/metrics/metrics-schema.ts';

const DOCS_COPY = resolve(import.meta.dirname, '../../../docs/metrics.schema.json');
const REGENERATE =
  "npx tsx -e \"import('../src/engine/metrics/metrics-schema.ts').then((m) => process.stdout.write(" +
  "JSON.stringify(m.METRICS_SCHEMA, null, 2) + '\\n'))\" > docs/metrics.schema.json && " +
  'npx biome format --write docs/metrics.schema.json';

describe('METRICS_SCHEMA', () => {
  it('matches its copy in docs/metrics.schema.json', () => {
    const copy = JSON.parse(readFileSync(DOCS_COPY, 'utf8'));
    expect(copy, `docs/metrics.schema.json is stale; regenerate it with:\n${REGENERATE}`).toEqual(
      JSON.parse(JSON.stringify(METRICS_SCHEMA)),
    );
  });

  it('requires the seed report names', () => {
    for (const name of ['total_processed', 'success_count', 'failure_count', 'success_rate', 'duration']) {
      expect(METRICS_SCHEMA.required).toContain(name);
    }
    expect(METRICS_SCHEMA.properties.latency_stats.required).toEqual(
      expect.arrayContaining(['min_ms', 'max_ms', 'avg_ms', 'p95_ms']),
    );
  });
});
