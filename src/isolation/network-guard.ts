import { builtins } from './builtin-modules.ts';
import { type GuardSpec, guardConstructor, guardFunction } from './guarded-function.ts';
import type { PatchSet } from './patch-set.ts';

type Inspect = GuardSpec['inspect'];
type Options = Record<string, unknown>;

function isOptions(value: unknown): value is Options {
  return typeof value === 'object' && value !== null && !(value instanceof URL);
}

function isPort(value: unknown): boolean {
  return typeof value === 'number' || (typeof value === 'string' && value.length > 0 && /^\d+$/.test(value));
}

/**
 * `host:port` (or the IPC path) from the loose argument lists of `net.connect`, `tls.connect` and
 * `dgram` `connect`: an options object, or a port followed by a host. Node's own calls to
 * `Socket.prototype.connect` pass their normalized arguments as one array.
 */
function socketTarget(raw: readonly unknown[]): string | undefined {
  const args = Array.isArray(raw[0]) ? (raw[0] as unknown[]) : raw;
  let port: unknown;
  let host: unknown;
  for (const arg of args) {
    if (isOptions(arg)) {
      if (typeof arg.path === 'string') return arg.path;
      port ??= arg.port;
      host ??= arg.host ?? arg.hostname;
    } else if (isPort(arg)) port ??= arg;
    else if (typeof arg === 'string') {
      if (port === undefined) return arg;
      host ??= arg;
    }
  }
  return port === undefined ? undefined : `${String(host ?? 'localhost')}:${String(port)}`;
}

function urlTarget(input: unknown): string | undefined {
  let url: URL;
  try {
    url = input instanceof URL ? input : new URL(String(input));
  } catch {
    return undefined;
  }
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  if (!secure && url.protocol !== 'http:' && url.protocol !== 'ws:') return undefined;
  return `${url.hostname}:${url.port === '' ? (secure ? 443 : 80) : url.port}`;
}

/** `http.request(url | options, options?, callback?)`. */
const httpTarget =
  (defaultPort: number): Inspect =>
  (_runtime, args) => {
    const [first, second] = args;
    const options: Options = { ...(isOptions(first) ? first : {}), ...(isOptions(second) ? second : {}) };
    if (typeof options.socketPath === 'string') return options.socketPath;
    const fromUrl = typeof first === 'string' || first instanceof URL ? urlTarget(first) : undefined;
    if (fromUrl !== undefined && options.host === undefined && options.hostname === undefined) return fromUrl;
    const host = options.hostname ?? options.host ?? 'localhost';
    return `${String(host)}:${String(options.port ?? defaultPort)}`;
  };

const fetchTarget: Inspect = (_runtime, args) => {
  const input = args[0];
  return urlTarget(typeof input === 'object' && input !== null && 'url' in input ? input.url : input);
};

/** `dgram` `send(msg, [offset, length,] port, address, callback)`; a connected socket's send names no peer. */
const datagramTarget: Inspect = (_runtime, args) => {
  const offsetForm = typeof args[1] === 'number' && typeof args[2] === 'number' && isPort(args[3]);
  const [port, address] = offsetForm ? [args[3], args[4]] : [args[1], args[2]];
  if (!isPort(port)) return 'connected peer';
  return `${typeof address === 'string' ? address : 'localhost'}:${String(port)}`;
};

/**
 * Patches sockets (the backstop every client ends in), TLS, HTTP(S), HTTP/2, UDP, fetch, WebSocket and the choice
 * of DNS servers.
 */
export function patchNetwork(patches: PatchSet): void {
  const { net, tls, http, https, http2, dgram } = builtins;
  const socket: Inspect = (_runtime, args) => socketTarget(args);
  const guard = (
    target: object,
    key: string,
    api: string,
    inspect: Inspect,
    refuse: GuardSpec['refuse'],
  ): void =>
    patches.replace(target, key, (original) =>
      guardFunction(original, { kind: 'network', api, refuse, inspect }),
    );

  guard(net.Socket.prototype, 'connect', 'net.Socket.connect', socket, 'throw');
  guard(net, 'connect', 'net.connect', socket, 'throw');
  guard(net, 'createConnection', 'net.createConnection', socket, 'throw');
  guard(tls, 'connect', 'tls.connect', socket, 'throw');
  for (const [module, name, port] of [
    [http, 'http', 80],
    [https, 'https', 443],
  ] as const) {
    guard(module, 'request', `${name}.request`, httpTarget(port), 'throw');
    guard(module, 'get', `${name}.get`, httpTarget(port), 'throw');
  }
  guard(http2, 'connect', 'http2.connect', (_runtime, args) => urlTarget(args[0]), 'throw');
  guard(dgram.Socket.prototype, 'send', 'dgram.Socket.send', datagramTarget, 'callback');
  guard(dgram.Socket.prototype, 'connect', 'dgram.Socket.connect', socket, 'callback');
  guard(globalThis, 'fetch', 'fetch', fetchTarget, 'promise');
  // Pointing DNS at a server of your choice sends it UDP datagrams (and data can ride in the names asked).
  const dns = builtins.dns;
  const servers: Inspect = (_runtime, [list]) =>
    `DNS server ${Array.isArray(list) ? list.map(String).join(', ') : String(list)}`;
  guard(dns, 'setServers', 'dns.setServers', servers, 'throw');
  guard(dns.promises, 'setServers', 'dns.promises.setServers', servers, 'throw');
  guard(dns.Resolver.prototype, 'setServers', 'dns.Resolver.setServers', servers, 'throw');
  guard(dns.promises.Resolver.prototype, 'setServers', 'dns.promises.Resolver.setServers', servers, 'throw');
  for (const name of ['WebSocket', 'EventSource']) {
    patches.replace<object>(globalThis, name, (original) =>
      guardConstructor(original, {
        kind: 'network',
        api: name,
        inspect: (_runtime, args) => urlTarget(args[0]),
      }),
    );
  }
}
