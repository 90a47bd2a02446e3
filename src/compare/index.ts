export { checkInbox, type InboxCheck } from './check-inbox.ts';
export {
  compareMetricsRuns,
  type RegressionOptions,
  type RegressionReport,
  type RegressionRow,
  type RegressionVerdict,
} from './compare-metrics-runs.ts';
export {
  COMPARED_METRICS,
  type ComparedMetric,
  type MetricDirection,
  metricValues,
} from './compared-metrics.ts';
export { formatFigure, formatRegressionMarkdown, formatRegressionText } from './format-regression.ts';
export {
  type ComparisonFile,
  type ComparisonOptions,
  type ComparisonRatios,
  type ComparisonResult,
  comparisonFile,
  runComparison,
} from './run-comparison.ts';
export { worsePValue } from './significance.ts';
export { type CoreFactory, type DeliveredUnit, timedCoreFactory } from './timed-core.ts';
