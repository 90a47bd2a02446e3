/** What a dotted metric path points at in a report. */
export type MetricLookup =
  | { readonly found: true; readonly value: unknown; readonly path: string }
  | { readonly found: false };

// Encoded histograms and example ids are data, not metrics a threshold can compare.
const SKIPPED = new Set(['histograms', 'thresholds', 'examples', 'violations']);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Follows a dotted path such as `latency_stats.p95_ms` or `latency_by_agent.Agent-1.p95_ms` through a
 * report. Keys may themselves contain dots (agent ids can), so at each level the longest matching key wins.
 */
export function lookupMetric(report: unknown, path: string): MetricLookup {
  let node: unknown = report;
  let rest = path;
  while (rest.length > 0) {
    if (!isRecord(node)) return { found: false };
    let key: string | undefined;
    for (const candidate of Object.keys(node)) {
      const fits = rest === candidate || rest.startsWith(`${candidate}.`);
      if (fits && (key === undefined || candidate.length > key.length)) key = candidate;
    }
    if (key === undefined) return { found: false };
    node = node[key];
    rest = rest.slice(key.length + 1);
  }
  return { found: true, value: node, path };
}

/** Every path under `node` that leads to a number or `null` (a metric with no samples), in report order. */
export function listMetricPaths(node: unknown, prefix = ''): string[] {
  if (!isRecord(node)) return [];
  const paths: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (SKIPPED.has(key)) continue;
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'number' || value === null) paths.push(path);
    else paths.push(...listMetricPaths(value, path));
  }
  return paths;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

const lastSegment = (path: string): string => path.slice(path.lastIndexOf('.') + 1);

/** Up to `limit` paths of `candidates` closest to the mistyped `path`, best first. */
export function suggestMetricPaths(path: string, candidates: readonly string[], limit = 5): string[] {
  const wanted = path.toLowerCase();
  const scored = candidates.map((candidate) => {
    const lower = candidate.toLowerCase();
    const whole = editDistance(wanted, lower);
    const leaf = editDistance(lastSegment(wanted), lastSegment(lower)) + 1;
    const contains = lower.includes(lastSegment(wanted)) ? 0 : Number.POSITIVE_INFINITY;
    return { candidate, score: Math.min(whole, leaf, contains + 2) };
  });
  const budget = Math.max(3, Math.ceil(wanted.length / 3));
  return scored
    .filter(({ score }) => score <= budget)
    .sort((a, b) => a.score - b.score)
    .slice(0, limit)
    .map(({ candidate }) => candidate);
}
