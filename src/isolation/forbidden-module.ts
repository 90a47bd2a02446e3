import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Node packages that drive a real desktop (the counterparts of PyAutoGUI and pyperclip in the original system):
 * loading one in a stress run means a real agent window could be typed into.
 */
export const GUI_AUTOMATION_MODULES: readonly string[] = [
  '@nut-tree/nut-js',
  '@nut-tree-fork/nut-js',
  '@nut-tree/libnut',
  'robotjs',
  '@jitsi/robotjs',
  '@hurdlegroup/robotjs',
  'keysender',
  'node-key-sender',
  'iohook',
  'uiohook-napi',
  'clipboardy',
];

/** What {@link matchForbiddenModule} compares against: package names and absolute module paths. */
export interface ForbiddenModuleRules {
  /** Package names (or Node built-in names without `node:`); their specifiers and any file inside them match. */
  readonly packages: readonly string[];
  /** Absolute paths: a file with or without its extension, or a directory and everything under it. */
  readonly paths: readonly string[];
}

/**
 * Extension-less paths of the real InboxMessagingCore module and of the production entry that exports it
 * (`vitest-stress/production`), in the sources and in the built package. Other copies of the package are caught
 * by the core module's own check when it loads (`reportRealCoreUse`).
 */
export function realCoreModulePaths(): readonly string[] {
  const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
  return [
    ...new Set([
      fileURLToPath(new URL('../inbox/inbox-messaging-core', import.meta.url)),
      fileURLToPath(new URL('../production', import.meta.url)),
      ...['src', 'dist'].flatMap((tree) => [
        resolve(packageRoot, tree, 'inbox/inbox-messaging-core'),
        resolve(packageRoot, tree, 'production'),
      ]),
    ]),
  ];
}

function isPathLike(specifier: string): boolean {
  return specifier.startsWith('.') || isAbsolute(specifier) || specifier.startsWith('file:');
}

/**
 * Builds the rules from user entries (package names, or paths starting with `./`, `../` or `/`), adding the GUI
 * automation packages and the real core.
 */
export function forbiddenModuleRules(root: string, extra: readonly string[]): ForbiddenModuleRules {
  const packages = [...GUI_AUTOMATION_MODULES];
  const paths = [...realCoreModulePaths()];
  for (const entry of extra) {
    if (!isPathLike(entry)) packages.push(entry.startsWith('node:') ? entry.slice(5) : entry);
    else paths.push(entry.startsWith('file:') ? fileURLToPath(entry) : resolve(root, entry));
  }
  return { packages: [...new Set(packages)], paths: [...new Set(paths)] };
}

/**
 * Returns what makes a module forbidden (the package name, or the resolved file), or undefined when it may load.
 * The ESM resolve hook runs the same rules off-thread (FORBIDDEN_MODULE_MATCHER_SOURCE), and a property test keeps
 * the two equal.
 */
export function matchForbiddenModule(
  specifier: string,
  resolvedPath: string | undefined,
  rules: ForbiddenModuleRules,
): string | undefined {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  const pathLike =
    bare.startsWith('.') ||
    bare.startsWith('/') ||
    bare.startsWith('\\') ||
    bare.startsWith('file:') ||
    bare.startsWith('data:') ||
    (bare.length > 2 && bare[1] === ':' && (bare[2] === '/' || bare[2] === '\\'));
  if (!pathLike) {
    const parts = bare.split('/');
    const name = bare.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? '');
    if (rules.packages.includes(name)) return name;
  }
  if (resolvedPath === undefined) return undefined;
  const file = resolvedPath.replaceAll('\\', '/');
  for (const name of rules.packages) {
    if (file.includes(`/node_modules/${name}/`)) return name;
  }
  for (const rule of rules.paths) {
    const path = rule.replaceAll('\\', '/');
    if (file === path || file.startsWith(`${path}/`)) return resolvedPath;
    if (file.startsWith(`${path}.`) && !file.slice(path.length + 1).includes('/')) return resolvedPath;
  }
  return undefined;
}

/** True when a module must not load in a stress run; the Vitest plugin calls it from its resolve hook. */
export function isForbiddenModule(
  specifier: string,
  resolvedPath: string | undefined,
  options: { readonly forbiddenModules: ForbiddenModuleRules },
): boolean {
  return matchForbiddenModule(specifier, resolvedPath, options.forbiddenModules) !== undefined;
}
