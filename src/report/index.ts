export {
  type BuildRunMetricsFileOptions,
  buildRunMetricsFile,
} from './build-run-metrics-file.ts';
export { loadHtmlReportAssets } from './html-report-assets.ts';
export { type HtmlReportAssets, renderHtmlReport } from './render-html-report.ts';
export { renderLatencyChart } from './render-latency-chart.ts';
export { renderMarkdownSummary } from './render-markdown-summary.ts';
export { renderSparkline, type SparklineOptions, sparkline } from './render-sparkline.ts';
export {
  renderTerminalSummary,
  shouldUseColor,
  type TerminalSummaryOptions,
} from './render-terminal-summary.ts';
export { renderTimelineChart } from './render-timeline-chart.ts';
export {
  RUN_METRICS_VERSION,
  type RunMetricsFile,
  type RunTotals,
  type RunVerdict,
  type StressPropertyRecord,
  type StressReplay,
  type StressTestAllRuns,
  type StressTestIsolation,
  type StressTestRecord,
  type StressTestState,
} from './run-metrics-file.ts';
export { RUN_METRICS_SCHEMA } from './run-metrics-schema.ts';
export { formatRunTimestamp } from './run-timestamp.ts';
export { judgeRun, testFailureReasons } from './run-verdict.ts';
export {
  createStressTestRecord,
  type StressTestIdentity,
  type StressTestResult,
  summarizeTestReports,
  type TestReportsContext,
} from './stress-test-record.ts';
export { type TestVerdict, testVerdict } from './summary-figures.ts';
export { type TimelineSeries, timelineSeries } from './timeline-series.ts';
export {
  assertRunMetricsFile,
  readRunMetricsFile,
  validateRunMetricsFile,
} from './validate-run-metrics-file.ts';
export { type RunFilePaths, type WriteRunFilesOptions, writeRunFiles } from './write-run-files.ts';
