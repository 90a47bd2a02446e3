import { StressError } from '../protocol/index.ts';

/** The `ERR_QUEUE_CLOSED` error of a call made after `close()` or `abandon()`; `call` names the method. */
export function queueClosedError(call: string): StressError {
  return new StressError(
    'ERR_QUEUE_CLOSED',
    `Expected the queue to be open for \`${call}\`, got a closed queue. ` +
      'Open a new MessageQueue on the store to continue.',
    { details: { call } },
  );
}
