export { writesWithFlags } from './file-system-operations.ts';
export {
  type ForbiddenModuleRules,
  forbiddenModuleRules,
  GUI_AUTOMATION_MODULES,
  isForbiddenModule,
  matchForbiddenModule,
  realCoreModulePaths,
} from './forbidden-module.ts';
export {
  allowIsolationTarget,
  allowLoopbackPort,
  type IsolationAllowance,
  isLoopbackHost,
  isolationAllowances,
} from './isolation-allowance.ts';
export {
  getActiveIsolationGuard,
  type IsolationAttempt,
  type IsolationGuard,
  installIsolationGuard,
} from './isolation-guard.ts';
export {
  DEFAULT_PROTECTED_DIRECTORIES,
  ISOLATION_TEMP_DIRECTORY,
  type IsolationMode,
  type IsolationOptions,
  type ResolvedIsolationOptions,
  resolveIsolationOptions,
} from './isolation-options.ts';
export { ISOLATION_REGISTRY_KEY } from './isolation-registry.ts';
export {
  describeViolation,
  IsolationViolation,
  type IsolationViolationRecord,
  isIsolationViolation,
  VIOLATION_KINDS,
  type ViolationKind,
} from './isolation-violation.ts';
export { createPathPolicy, linkIntoProtected, type PathPolicy } from './path-policy.ts';
export { signalTarget } from './signal-guard.ts';
export { strayViolationFailure, strayViolationReason } from './stray-violations.ts';
