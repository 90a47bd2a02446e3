import { afterEach, beforeEach, inject } from 'vitest';
import { STRESS_PROVIDE_KEY } from './stress-provided.ts';
import { finishSession, startSession } from './test-session.ts';

// Every test of the stress project, `stressTest` or plain `test`, gets a session: the guard learns its name,
// its escapes fail it by name and its measurements land in `task.meta.stressResult`.
beforeEach(({ task }) => {
  startSession(task);
  // A sharded run: the test says which shard ran it, so `--merge-reports` can tell when a shard is missing.
  const shard = inject(STRESS_PROVIDE_KEY)?.shard;
  if (shard) task.meta.stressShard = shard;
});

afterEach(({ task }) => {
  const failure = finishSession(task);
  if (failure !== undefined) throw failure;
});
