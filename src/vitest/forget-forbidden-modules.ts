import { matchForbiddenModule } from '../isolation/forbidden-module.ts';
import type { IsolationGuard } from '../isolation/isolation-guard.ts';
import { FORBIDDEN_STUB_PREFIX } from './forbidden-import-stub.ts';

/** The part of Vite's module runner cache this needs: Vitest keeps it on its worker state. */
interface EvaluatedModules {
  readonly idToModuleMap: Map<string, unknown>;
  invalidateModule(module: unknown): void;
}

function evaluatedModules(): EvaluatedModules | undefined {
  const state = (globalThis as { __vitest_worker__?: { evaluatedModules?: Partial<EvaluatedModules> } })
    .__vitest_worker__;
  const modules = state?.evaluatedModules;
  return modules?.idToModuleMap instanceof Map && typeof modules.invalidateModule === 'function'
    ? (modules as EvaluatedModules)
    : undefined;
}

/**
 * Drops the forbidden modules a test loaded (the stand-ins of forbidden imports, and forbidden project files such as
 * the real core) from the worker's module cache, so the next test that imports one evaluates it again and is
 * recorded by name, instead of getting the first test's cached refusal unseen. This reads Vitest's worker state
 * (`__vitest_worker__.evaluatedModules`, the module runner's cache); where that is not there, nothing happens.
 */
export function forgetForbiddenModules(guard: IsolationGuard | undefined): number {
  const modules = evaluatedModules();
  if (modules === undefined || guard === undefined) return 0;
  let forgotten = 0;
  for (const [id, module] of modules.idToModuleMap) {
    const file = id.replace(/[?#].*$/, '');
    const forbidden =
      id.startsWith(FORBIDDEN_STUB_PREFIX) ||
      (!id.startsWith('\0') &&
        matchForbiddenModule(file, file, guard.options.forbiddenModules) !== undefined);
    if (!forbidden) continue;
    modules.invalidateModule(module);
    forgotten++;
  }
  return forgotten;
}
