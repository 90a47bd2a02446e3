import { register } from 'node:module';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { invalidOption } from '../protocol/index.ts';
import { ESM_HOOK_SOURCE, HOOK_HEADER } from './esm-hook-source.ts';
import { type EsmImportHookHandle, type EsmImportReport, isolationRegistry } from './isolation-registry.ts';

/** Room for the JSON of the forbidden-module rules shared with the hook thread. */
const RULE_BYTES = 64 * 1024;

/**
 * The resolve hook of this process, registered on first use. `module.register()` cannot be undone, so later
 * guards reuse the same hook and switch it through shared memory; reports come back on a port that is read
 * with `receiveMessageOnPort`, which keeps their order deterministic and needs no event-loop turn.
 */
export function esmImportHook(): EsmImportHookHandle {
  const registry = isolationRegistry();
  if (registry.esmHook !== undefined) return registry.esmHook;
  const shared = new SharedArrayBuffer(HOOK_HEADER.bytesOffset + RULE_BYTES);
  const header = new Int32Array(shared, 0, 4);
  const bytes = new Uint8Array(shared, HOOK_HEADER.bytesOffset);
  const { port1, port2 } = new MessageChannel();
  port1.unref();
  register(`data:text/javascript,${encodeURIComponent(ESM_HOOK_SOURCE)}`, {
    data: { shared, port: port2 },
    transferList: [port2],
  });
  const handle: EsmImportHookHandle = {
    configure({ enabled, observe, rules }) {
      Atomics.store(header, HOOK_HEADER.enabled, 0);
      if (!enabled) return;
      const encoded = new TextEncoder().encode(JSON.stringify(rules));
      if (encoded.length > RULE_BYTES) {
        throw invalidOption('forbiddenModules', `rules of at most ${RULE_BYTES} bytes of JSON`, rules);
      }
      bytes.set(encoded);
      Atomics.store(header, HOOK_HEADER.length, encoded.length);
      Atomics.add(header, HOOK_HEADER.generation, 1);
      Atomics.store(header, HOOK_HEADER.observe, observe ? 1 : 0);
      Atomics.store(header, HOOK_HEADER.enabled, 1);
    },
    drain() {
      const reports: EsmImportReport[] = [];
      for (let next = receiveMessageOnPort(port1); next !== undefined; next = receiveMessageOnPort(port1)) {
        reports.push(next.message as EsmImportReport);
      }
      return reports;
    },
  };
  registry.esmHook = handle;
  return handle;
}
