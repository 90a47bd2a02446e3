import { afterEach, beforeEach } from 'vitest';
import { finishSession, startSession } from '../suite/test-session.ts';

// Every test of the stress project, `stressTest` or plain `test`, gets a session: the guard learns its name,
// its escapes fail it by name and its measurements land in `task.meta.stressResult`.
beforeEach(({ task }) => {
  startSession(task);
});

afterEach(({ task }) => {
  const failure = finishSession(task);
  if (failure !== undefined) throw failure;
});
