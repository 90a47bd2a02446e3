import type { Environment } from 'vitest/runtime';
import {
  type IsolationGuard,
  type IsolationViolationRecord,
  installIsolationGuard,
  strayViolationFailure,
} from '../isolation/index.ts';
import { invalidOption } from '../protocol/index.ts';
import { STRESS_ENVIRONMENT_KEY, type StressEnvironmentState } from '../suite/environment-state.ts';
import type { ResolvedStressProjectOptions } from '../suite/stress-project-options.ts';

type Slot = { [STRESS_ENVIRONMENT_KEY]?: StressEnvironmentState };

/** Reads `environmentOptions.stress`: the resolved options `defineStressProject` put there, or raw options. */
async function readOptions(options: Record<string, unknown>): Promise<ResolvedStressProjectOptions> {
  const raw = options.stress;
  if (raw !== undefined && (typeof raw !== 'object' || raw === null)) {
    throw invalidOption('environmentOptions.stress', 'an object', raw);
  }
  const candidate = (raw ?? {}) as Partial<ResolvedStressProjectOptions>;
  // defineStressProject hands over resolved options; anything else (a hand-written config) is validated here.
  if (typeof candidate.settings === 'object' && typeof candidate.root === 'string') {
    return candidate as ResolvedStressProjectOptions;
  }
  // Loaded only for a hand-written config: every test file pays for what the environment imports.
  const { resolveStressProjectOptions } = await import('../suite/stress-project-options.ts');
  return resolveStressProjectOptions(raw as never);
}

/**
 * The stress test environment: for each test file it installs the isolation guard and exposes the engine's
 * configuration on `globalThis[Symbol.for('vitest-stress.environment')]`, and removes both afterwards.
 * `defineStressProject` points projects at it by absolute path (Vitest reads a bare name as `vitest-environment-<name>`).
 */
const environment: Environment = {
  name: 'vitest-stress',
  viteEnvironment: 'ssr',
  async setup(global: Slot, options: Record<string, unknown>) {
    const project = await readOptions(options);
    let guard: IsolationGuard | undefined;
    if (project.isolation !== false) {
      guard = await installIsolationGuard({ root: project.root, ...project.isolation });
    }
    const had = Object.hasOwn(global, STRESS_ENVIRONMENT_KEY);
    const previous = global[STRESS_ENVIRONMENT_KEY];
    const strays: IsolationViolationRecord[] = [];
    global[STRESS_ENVIRONMENT_KEY] = {
      version: 1,
      options: project,
      guard,
      strays,
      createMockCore: async (coreOptions) =>
        new (await import('../engine/mock-core/mock-messaging-core.ts')).MockMessagingCore(coreOptions),
      createReferenceTarget: async () =>
        (await import('../reference/reference-target.ts')).createReferenceTarget(),
    };
    return {
      teardown(teardownGlobal: Slot) {
        // What escaped after the setup file's afterAll (late timers, an adapter after close()) fails the run too.
        const late = [...strays.splice(0), ...(guard?.takeViolations() ?? [])];
        guard?.uninstall();
        if (had) teardownGlobal[STRESS_ENVIRONMENT_KEY] = previous;
        else delete teardownGlobal[STRESS_ENVIRONMENT_KEY];
        if (late.length > 0) throw strayViolationFailure('a test file, after its last hook', late);
      },
    };
  },
};

export default environment;
