import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The CommonJS export objects of the built-in modules the guard patches. ESM namespaces are frozen, so patching
 * must happen on these objects; `syncBuiltinESMExports()` then carries the change to ESM named imports.
 */
export const builtins = {
  fs: require('node:fs') as typeof import('node:fs'),
  childProcess: require('node:child_process') as typeof import('node:child_process'),
  net: require('node:net') as typeof import('node:net'),
  tls: require('node:tls') as typeof import('node:tls'),
  http: require('node:http') as typeof import('node:http'),
  https: require('node:https') as typeof import('node:https'),
  http2: require('node:http2') as typeof import('node:http2'),
  dgram: require('node:dgram') as typeof import('node:dgram'),
  dns: require('node:dns') as typeof import('node:dns'),
  v8: require('node:v8') as typeof import('node:v8'),
  traceEvents: require('node:trace_events') as typeof import('node:trace_events'),
  workerThreads: require('node:worker_threads') as typeof import('node:worker_threads'),
  module: require('node:module') as typeof import('node:module') & {
    _load: (request: string, parent: unknown, isMain: boolean) => unknown;
    _resolveFilename: (request: string, parent: unknown, isMain: boolean) => string;
  },
};
