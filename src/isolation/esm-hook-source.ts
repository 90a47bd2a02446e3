/**
 * The rules of `matchForbiddenModule` as plain JavaScript for the resolve hook, which runs on Node's loader
 * thread and cannot import TypeScript. A property test checks that both give the same answer.
 */
export const FORBIDDEN_MODULE_MATCHER_SOURCE = `function matchForbiddenModule(specifier, resolvedPath, rules) {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  const pathLike = bare.startsWith('.') || bare.startsWith('/') || bare.startsWith('\\\\') ||
    bare.startsWith('file:') || bare.startsWith('data:') ||
    (bare.length > 2 && bare[1] === ':' && (bare[2] === '/' || bare[2] === '\\\\'));
  if (!pathLike) {
    const parts = bare.split('/');
    const name = bare.startsWith('@') ? parts[0] + '/' + (parts[1] ?? '') : (parts[0] ?? '');
    if (rules.packages.includes(name)) return name;
  }
  if (resolvedPath === undefined) return undefined;
  const file = resolvedPath.replaceAll('\\\\', '/');
  for (const name of rules.packages) {
    if (file.includes('/node_modules/' + name + '/')) return name;
  }
  for (const rule of rules.paths) {
    const path = rule.replaceAll('\\\\', '/');
    if (file === path || file.startsWith(path + '/')) return resolvedPath;
    if (file.startsWith(path + '.') && !file.slice(path.length + 1).includes('/')) return resolvedPath;
  }
  return undefined;
}`;

/** Byte offsets of the shared configuration the main thread writes and the hook reads. */
export const HOOK_HEADER = { enabled: 0, observe: 1, generation: 2, length: 3, bytesOffset: 16 } as const;

/**
 * The module registered with `module.register()`. Node keeps hooks for the life of the process, so it stays
 * registered and a flag in shared memory switches it on and off; the rules travel in the same buffer, and
 * forbidden imports are posted back on a port the guard reads synchronously.
 */
export const ESM_HOOK_SOURCE = `import { fileURLToPath } from 'node:url';
${FORBIDDEN_MODULE_MATCHER_SOURCE}
let header;
let bytes;
let port;
let generation = -1;
let rules = { packages: [], paths: [] };
export function initialize(data) {
  header = new Int32Array(data.shared, 0, 4);
  bytes = new Uint8Array(data.shared, ${HOOK_HEADER.bytesOffset});
  port = data.port;
}
function currentRules() {
  const now = Atomics.load(header, ${HOOK_HEADER.generation});
  if (now !== generation) {
    const length = Atomics.load(header, ${HOOK_HEADER.length});
    rules = JSON.parse(new TextDecoder().decode(bytes.slice(0, length)));
    generation = now;
  }
  return rules;
}
function toPath(url) {
  try { return url.startsWith('file:') ? fileURLToPath(url) : undefined; } catch { return undefined; }
}
export async function resolve(specifier, context, nextResolve) {
  if (header === undefined || Atomics.load(header, ${HOOK_HEADER.enabled}) !== 1) return nextResolve(specifier, context);
  const active = currentRules();
  let resolved;
  let failure;
  try { resolved = await nextResolve(specifier, context); } catch (error) { failure = error; }
  let path = resolved === undefined ? undefined : toPath(resolved.url);
  if (path === undefined && context.parentURL !== undefined &&
      (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:'))) {
    try { path = toPath(new URL(specifier, context.parentURL).href); } catch {}
  }
  const target = matchForbiddenModule(specifier, path, active);
  if (target === undefined || Atomics.load(header, ${HOOK_HEADER.enabled}) !== 1) {
    if (failure !== undefined) throw failure;
    return resolved;
  }
  const parent = context.parentURL === undefined ? undefined : (toPath(context.parentURL) ?? context.parentURL);
  port.postMessage({ specifier, target, parent });
  if (Atomics.load(header, ${HOOK_HEADER.observe}) === 1) {
    if (failure !== undefined) throw failure;
    return resolved;
  }
  const error = new Error('[vitest-stress] Expected no forbidden modules during a stress run, got \`import\` loading \`' +
    target + '\`' + (parent === undefined ? '' : ' from ' + parent) + '. It was blocked. GUI automation and the ' +
    'real InboxMessagingCore must never load in a stress run; inject the mock core.');
  error.name = 'StressError';
  error.code = 'ERR_ISOLATION_VIOLATION';
  error.details = { kind: 'module', target, api: 'import', blocked: true, frame: parent };
  throw error;
}
`;
