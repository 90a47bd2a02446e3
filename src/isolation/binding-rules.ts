import { descriptor, fileAt, type Inspect, OPERATIONS, openAt } from './file-system-operations.ts';
import type { ViolationKind } from './isolation-violation.ts';
import { spawnOptions } from './process-guard.ts';

/** What one member of a raw binding reaches: the kind of escape, and the target of a call (undefined: allowed). */
export interface BindingMemberRule {
  readonly kind: ViolationKind;
  readonly inspect: Inspect;
}

type Members = Readonly<Record<string, BindingMemberRule>>;

/** How the guard wraps one `process.binding(name)` object; members it names nowhere are handed out as they are. */
export interface BindingRules {
  /** Functions of the binding, checked before each call. */
  readonly functions?: Members;
  /** Classes whose instances are handed out with these methods checked (a subclass of the real handle class). */
  readonly methods?: Readonly<Record<string, Members>>;
  /** Classes whose construction itself is the escape. */
  readonly constructors?: Members;
  /**
   * The rule for any other plain function of the binding but those in `readOnly`, so a writing function added by a
   * later Node version is checked rather than missed.
   */
  readonly otherFunctions?: { readonly rule: BindingMemberRule; readonly readOnly: ReadonlySet<string> };
}

const string = (value: unknown): string => (typeof value === 'string' ? value : String(value));

/** `connect(req, address, port)` of TCP, `connect(address, port)` of UDP: `host:port`. */
const hostAndPort =
  (host: number): Inspect =>
  (_runtime, args) =>
    `${string(args[host])}:${string(args[host + 1])}`;

/** UDP `send(req, buffers, count, port, address, hasCallback)`; a connected socket's send names no peer. */
const datagram: Inspect = (_runtime, args) =>
  args.length >= 6 ? `${string(args[4])}:${string(args[3])}` : 'connected peer';

const dnsName =
  (index: number): Inspect =>
  (_runtime, args) =>
    `dns:${string(args[index])}`;

const always =
  (target: string): Inspect =>
  () =>
    target;

const fsWrite = (inspect: Inspect): BindingMemberRule => ({ kind: 'fs-write', inspect });
const network = (inspect: Inspect): BindingMemberRule => ({ kind: 'network', inspect });
const spawn: BindingMemberRule = { kind: 'process', inspect: spawnOptions };

/** A path argument anywhere: how an unknown `fs` binding function is judged (removing and moving included). */
const anyPath: Inspect = (runtime, args) => {
  for (const arg of args) {
    const target = runtime.policy.check(arg, true);
    if (target !== undefined) return target;
  }
  return typeof args[0] === 'number' ? descriptor(0)(runtime, args, undefined) : undefined;
};

const OPERATION_RULES: Members = Object.fromEntries(
  OPERATIONS.map(([name, inspect]) => [name, fsWrite(inspect)]),
);

/**
 * The `fs` binding takes the public functions' paths at the same positions (`open(path, flags, mode)`,
 * `rename(from, to)`, `symlink(target, path)` ...), so their rules apply; the binding's own writers follow.
 */
const FILE_SYSTEM: Members = {
  ...OPERATION_RULES,
  openFileHandle: fsWrite(openAt()),
  writeFileUtf8: fsWrite(fileAt(0)),
  writeBuffer: fsWrite(descriptor(0)),
  writeBuffers: fsWrite(descriptor(0)),
  writeString: fsWrite(descriptor(0)),
  // Node 22's native `fs.cpSync` (22.x, not 20): copies a file or a tree; any path may be the one written.
  cpSyncOverrideFile: fsWrite(anyPath),
  cpSyncCopyDir: fsWrite(anyPath),
  // Node 24's native `fs.rmSync(path, maxRetries, recursive, retryDelay)`: removes what `rm` does.
  rmSync: OPERATION_RULES.rm!,
};

/** The `fs` binding functions that only read (Node 20, 22 and 24). */
const FILE_SYSTEM_READS = new Set([
  'access',
  'close',
  // Node 22: `fs.cpSync` checks its source and destination (stat only) before copying.
  'cpSyncCheckPaths',
  'existsSync',
  'fdatasync',
  'fsync',
  'fstat',
  'getFormatOfExtensionlessFile',
  'internalModuleReadJSON',
  'internalModuleStat',
  'legacyMainResolve',
  'lstat',
  'read',
  'readBuffers',
  'readFileUtf8',
  'readdir',
  'readlink',
  'realpath',
  'stat',
  'statfs',
]);

const INSPECTOR_SESSION = 'inspector session (this process)';

/**
 * The bindings `process.binding()` hands out on Node 20 and 22 that can write files, start processes, reach the
 * network or open the debugger. The others (tried one by one: `fs_event_wrap` only watches, `stream_wrap` holds
 * request objects, `tty_wrap` refuses a regular file's descriptor, `js_stream`, `http_parser` and `tls_wrap` have no
 * descriptor of their own, the rest compute) are handed out unchanged.
 */
export const BINDING_RULES: Readonly<Record<string, BindingRules>> = {
  fs: {
    functions: FILE_SYSTEM,
    otherFunctions: { rule: fsWrite(anyPath), readOnly: FILE_SYSTEM_READS },
  },
  spawn_sync: { functions: { spawn } },
  process_wrap: { methods: { Process: { spawn } } },
  tcp_wrap: {
    methods: { TCP: { connect: network(hostAndPort(1)), connect6: network(hostAndPort(1)) } },
  },
  pipe_wrap: {
    methods: {
      Pipe: {
        connect: network((_runtime, args) => string(args[1])),
        // A pipe opened on a file's descriptor writes that file; binding creates the socket file.
        open: fsWrite(descriptor(0)),
        bind: fsWrite((runtime, args) => runtime.policy.check(args[0], false)),
      },
    },
  },
  udp_wrap: {
    methods: {
      UDP: {
        send: network(datagram),
        send6: network(datagram),
        connect: network(hostAndPort(0)),
        connect6: network(hostAndPort(0)),
      },
    },
  },
  cares_wrap: {
    functions: {
      getaddrinfo: network(dnsName(1)),
      getnameinfo: network(hostAndPort(1)),
    },
    methods: {
      ChannelWrap: Object.fromEntries(
        [
          'queryAny',
          'queryA',
          'queryAaaa',
          'queryCaa',
          'queryCname',
          'queryMx',
          'queryNs',
          'queryTxt',
          'querySrv',
          'queryPtr',
          'queryNaptr',
          'querySoa',
          'getHostByAddr',
        ].map((name) => [name, network(dnsName(1))]),
      ),
    },
  },
  inspector: {
    functions: {
      open: {
        kind: 'native',
        inspect: (_runtime, [port, host]) =>
          `${string(host ?? '127.0.0.1')}:${string(port ?? process.debugPort)}`,
      },
      waitForDebugger: { kind: 'native', inspect: always('inspector') },
    },
    constructors: {
      Connection: { kind: 'native', inspect: always(INSPECTOR_SESSION) },
      MainThreadConnection: { kind: 'native', inspect: always('inspector session (main thread)') },
    },
  },
};
