import type TS from 'typescript';
import { GUI_AUTOMATION_MODULES, matchForbiddenModule, realCoreModulePaths } from '../isolation/index.ts';
import { type CheckContext, declaredSymbol, type IntegrationCheckRunner } from './check-context.ts';
import { moduleSpecifiers } from './module-specifiers.ts';

/** Modules that start processes or threads outside the run. */
export const PROCESS_MODULES: readonly string[] = [
  'child_process',
  'cluster',
  'worker_threads',
  'execa',
  'cross-spawn',
  'shelljs',
  'zx',
];

/** Modules that reach the network. */
export const NETWORK_MODULES: readonly string[] = [
  'net',
  'tls',
  'http',
  'https',
  'http2',
  'dgram',
  'undici',
  'ws',
  'node-fetch',
  'axios',
  'got',
];

function packageName(specifier: string): string {
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  const [scope = '', name = ''] = bare.split('/');
  return bare.startsWith('@') ? `${scope}/${name}` : scope;
}

function isRealCore(path: string): boolean {
  return realCoreModulePaths().some((core) => path === core || path.startsWith(`${core}.`));
}

/** Why a module may not be loaded, or undefined when it may. */
function forbiddenReason(
  context: CheckContext,
  specifier: string,
  path: string | undefined,
): string | undefined {
  const match = matchForbiddenModule(specifier, path, context.options.forbiddenModules);
  if (match !== undefined) {
    if (GUI_AUTOMATION_MODULES.includes(match)) {
      return `\`${specifier}\` is GUI automation: it drives a real desktop, as PyAutoGUI typed into agent chats`;
    }
    if (isRealCore(match))
      return `\`${specifier}\` is the real InboxMessagingCore: it writes real agent inboxes`;
    return `\`${specifier}\` is listed in \`forbiddenModules\``;
  }
  if (specifier.startsWith('.') || specifier.startsWith('/')) return undefined;
  const name = packageName(specifier);
  if (PROCESS_MODULES.includes(name)) return `\`${specifier}\` starts processes or threads outside the run`;
  if (NETWORK_MODULES.includes(name)) return `\`${specifier}\` reaches the network`;
  return undefined;
}

/** Named imports whose declaration is the real core, whatever module re-exported them. */
function realCoreBindings(context: CheckContext, declaration: TS.ImportDeclaration): TS.ImportSpecifier[] {
  const bindings = declaration.importClause?.namedBindings;
  if (declaration.importClause?.isTypeOnly === true || bindings === undefined) return [];
  if (!context.ts.isNamedImports(bindings)) return [];
  return bindings.elements.filter((element) => {
    if (element.isTypeOnly) return false;
    const declarationFile = declaredSymbol(context, element.name)?.declarations?.[0]?.getSourceFile()
      .fileName;
    return declarationFile !== undefined && isRealCore(declarationFile);
  });
}

/** Flags runtime imports of the real core, GUI automation, process and network modules, and configured modules. */
export const checkForbiddenImports: IntegrationCheckRunner = (context, sourceFile) => {
  const fix = `${context.via(sourceFile.fileName)}. A stress test must deliver only through the injected mock core.`;
  const flagged = new Set<TS.Node>();
  for (const { specifier, node, runtime, via } of moduleSpecifiers(context.ts, sourceFile, context.checker)) {
    if (!runtime) continue;
    const reason = forbiddenReason(
      context,
      specifier,
      context.resolver.resolve(specifier, sourceFile.fileName).path,
    );
    if (reason === undefined) continue;
    flagged.add(node);
    context.report('forbidden-import', node, `${reason}; it is loaded here with \`${via}\`${fix}`);
  }
  for (const statement of sourceFile.statements) {
    if (!context.ts.isImportDeclaration(statement) || flagged.has(statement.moduleSpecifier)) continue;
    for (const binding of realCoreBindings(context, statement)) {
      context.report(
        'forbidden-import',
        binding,
        `\`${binding.name.text}\` is the real InboxMessagingCore (re-exported by \`${(statement.moduleSpecifier as TS.StringLiteral).text}\`): it writes real agent inboxes${fix}`,
      );
    }
  }
};
