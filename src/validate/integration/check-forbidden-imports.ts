import type TS from 'typescript';
import { GUI_AUTOMATION_MODULES, matchForbiddenModule, realCoreModulePaths } from '../../isolation/index.ts';
import { type CheckContext, declaredSymbol, type IntegrationCheckRunner, walk } from './check-context.ts';
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

/** Members of network modules that only serve, or only compute: a local test double may use them. */
const SERVER_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  net: ['createServer', 'Server', 'isIP', 'isIPv4', 'isIPv6', 'BlockList', 'SocketAddress'],
  tls: ['createServer', 'Server', 'createSecureContext', 'rootCertificates', 'getCiphers'],
  http: [
    'createServer',
    'Server',
    'ServerResponse',
    'IncomingMessage',
    'STATUS_CODES',
    'METHODS',
    'maxHeaderSize',
    'validateHeaderName',
    'validateHeaderValue',
  ],
  https: ['createServer', 'Server'],
  http2: ['createServer', 'createSecureServer', 'constants', 'getDefaultSettings', 'sensitiveHeaders'],
  ws: ['WebSocketServer', 'Server'],
};

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
  node: TS.Node,
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
  if (NETWORK_MODULES.includes(name) && !context.options.allowNetwork) {
    const members = usedMembers(context, node);
    const server = SERVER_MEMBERS[name] ?? [];
    if (members?.every((member) => server.includes(member))) return undefined;
    const client = members?.filter((member) => !server.includes(member)) ?? [];
    const uses = client.length === 0 ? '' : ` (its client side: ${client.map((m) => `\`${m}\``).join(', ')})`;
    return `\`${specifier}\` reaches the network${uses}; if the target talks to a local test double, set \`allowNetwork\` (\`--allow-network\`), as for the guard`;
  }
  return undefined;
}

/** The names read from a module binding, or undefined when it is used in any way but `x.name` or `{ name }`. */
function bindingMembers(context: CheckContext, binding: TS.BindingName): string[] | undefined {
  const { ts, checker } = context;
  if (ts.isObjectBindingPattern(binding)) {
    const names: string[] = [];
    for (const element of binding.elements) {
      const property = element.propertyName ?? element.name;
      if (element.dotDotDotToken !== undefined || !ts.isIdentifier(property)) return undefined;
      names.push(property.text);
    }
    return names;
  }
  if (!ts.isIdentifier(binding)) return undefined;
  const symbol = checker.getSymbolAtLocation(binding);
  if (symbol === undefined) return undefined;
  const names: string[] = [];
  let opaque = false;
  walk(ts, binding.getSourceFile(), (node) => {
    if (opaque || !ts.isIdentifier(node) || node === binding || node.text !== binding.text) return;
    if (checker.getSymbolAtLocation(node) !== symbol) return;
    const parent = node.parent;
    if (ts.isPropertyAccessExpression(parent) && parent.expression === node) names.push(parent.name.text);
    else if (ts.isQualifiedName(parent) && parent.left === node) names.push(parent.right.text);
    else opaque = true;
  });
  return opaque ? undefined : names;
}

/** What a module import uses, for imports that name their members or bind the module to one name. */
function usedMembers(context: CheckContext, node: TS.Node): string[] | undefined {
  const { ts } = context;
  const parent = node.parent;
  if (ts.isImportDeclaration(parent)) {
    const clause = parent.importClause;
    if (clause === undefined) return undefined;
    const members: string[] = [];
    if (clause.name !== undefined) {
      const fromDefault = bindingMembers(context, clause.name);
      if (fromDefault === undefined) return undefined;
      members.push(...fromDefault);
    }
    const bindings = clause.namedBindings;
    if (bindings !== undefined && ts.isNamespaceImport(bindings)) {
      const fromNamespace = bindingMembers(context, bindings.name);
      if (fromNamespace === undefined) return undefined;
      members.push(...fromNamespace);
    } else if (bindings !== undefined) {
      for (const element of bindings.elements) {
        if (!element.isTypeOnly) members.push((element.propertyName ?? element.name).text);
      }
    }
    return members;
  }
  if (ts.isExternalModuleReference(parent) && ts.isImportEqualsDeclaration(parent.parent)) {
    return bindingMembers(context, parent.parent.name);
  }
  // `require(x)` / `await import(x)`: the call, maybe awaited, then read or bound.
  if (!ts.isCallExpression(parent)) return undefined;
  const loaded = ts.isAwaitExpression(parent.parent) ? parent.parent : parent;
  const user = loaded.parent;
  if (ts.isPropertyAccessExpression(user) && user.expression === loaded) return [user.name.text];
  if (ts.isVariableDeclaration(user) && user.initializer === loaded)
    return bindingMembers(context, user.name);
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
      node,
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
