export { NETWORK_MODULES, PROCESS_MODULES } from './check-forbidden-imports.ts';
export { TARGET_FACTORY_NAMES } from './check-injection-points.ts';
export { MOCK_CORE_NAME_ENDINGS } from './check-messaging-core-port.ts';
export {
  type ConfiguredTarget,
  findConfiguredTargets,
  VITEST_CONFIG_FILES,
} from './configured-targets.ts';
export { formatFindingsTable } from './format-findings-table.ts';
export {
  INTEGRATION_CHECKS,
  type IntegrationCheck,
  type IntegrationFinding,
  type IntegrationReport,
  type IntegrationVerdict,
  type SkippedCheck,
  type UncheckedFile,
} from './integration-report.ts';
export { loadTypeScript } from './load-typescript.ts';
export { DEFAULT_MAX_FILE_BYTES, type UncheckedReason } from './read-source-file.ts';
export { validateIntegration } from './validate-integration.ts';
export {
  type ResolvedValidateIntegrationOptions,
  resolveValidateIntegrationOptions,
  type ValidateIntegrationOptions,
} from './validate-integration-options.ts';
