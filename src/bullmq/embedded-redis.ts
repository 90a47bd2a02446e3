import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { access, constants, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { allowIsolationTarget, allowLoopbackPort, ISOLATION_TEMP_DIRECTORY } from '../isolation/index.ts';
import { StressError } from '../protocol/index.ts';
import { BROKER_DIRECTORY_PREFIX, reapOrphanedBrokers, writeBrokerOwner } from './broker-owner.ts';
import { type RedisPersistence, redisConfig } from './redis-config.ts';

/** How to start an {@link EmbeddedRedis}. */
export interface EmbeddedRedisOptions {
  /** AOF with `appendfsync always`, with `everysec`, or no persistence at all. */
  readonly persistence: RedisPersistence;
  /** The server binary: a path, or a name looked up on `PATH`. @default 'redis-server' */
  readonly binary?: string;
  /** How long start and restart may take before they fail, in ms. @default 10000 */
  readonly startTimeoutMs?: number;
}

const READY = 'Ready to accept connections';
const running = new Set<ChildProcess>();
/** Data directories of servers started and not stopped yet. */
const directories = new Set<string>();
let exitHookInstalled = false;

/** Signals that end a process by default, which a test runner sends its workers (Vitest: SIGTERM). */
const ENDING_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

/** Kills what is still running and removes the directories nobody stopped, synchronously. */
function cleanUpNow(): void {
  for (const child of running) child.kill('SIGKILL');
  for (const directory of directories) rmSync(directory, { recursive: true, force: true, maxRetries: 3 });
}

/**
 * A test process that ends must not leave brokers behind. On `exit`, and on a signal that would end it without
 * one (Vitest stops its fork workers with SIGTERM): kill what is still running, and remove the data directories
 * of servers nobody stopped (synchronously: nothing asynchronous runs then). After a signal the process still
 * dies of it, as it would have, unless someone else listens for it. A process killed outright, or a worker
 * thread terminated, runs none of this: the next start reaps what it left (see {@link reapOrphanedBrokers}).
 */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', cleanUpNow);
  // Signals reach only the main thread.
  if (!isMainThread) return;
  const onSignal = (signal: NodeJS.Signals): void => {
    cleanUpNow();
    for (const ending of ENDING_SIGNALS) process.off(ending, onSignal);
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  for (const signal of ENDING_SIGNALS) process.on(signal, onSignal);
}

/** Finds `binary` (a path, or a name on `PATH`); undefined when it is nowhere. */
export async function findExecutable(binary: string): Promise<string | undefined> {
  const candidates = binary.includes('/')
    ? [binary]
    : (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir || '.', binary));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

/** A free loopback port, found by binding port 0 and closing again. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function notFound(binary: string): StressError {
  return new StressError(
    'ERR_BROKER_NOT_FOUND',
    `Expected \`${binary}\` on PATH to start an embedded Redis broker, found none. Install it (Debian/Ubuntu: ` +
      '`sudo apt-get install -y redis-server`; macOS: `brew install redis`), or point `REDIS_URL` (or the ' +
      '`redis.url` option) at a running Redis server.',
    { details: { binary } },
  );
}

/**
 * A `redis-server` this run started: a free loopback port, a fresh data directory under the isolation temp
 * directory, the chosen persistence. `kill()` is a SIGKILL (no shutdown save); `restart()` starts it again on
 * the same port and data. `stop()` kills it and removes the directory. The isolation guard lets the run spawn
 * exactly this command and connect to exactly this port, as reported allowances.
 */
export class EmbeddedRedis {
  readonly host = '127.0.0.1';
  readonly port: number;
  readonly directory: string;
  readonly persistence: RedisPersistence;
  readonly #command: readonly [string, string];
  readonly #timeoutMs: number;
  readonly #withdraw: readonly (() => void)[];
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #stopped = false;

  private constructor(
    port: number,
    directory: string,
    persistence: RedisPersistence,
    command: readonly [string, string],
    timeoutMs: number,
  ) {
    this.port = port;
    this.directory = directory;
    this.persistence = persistence;
    this.#command = command;
    this.#timeoutMs = timeoutMs;
    const reason = `embedded redis-server on 127.0.0.1:${port}, started by this run`;
    this.#withdraw = [
      allowLoopbackPort(this.host, port, reason),
      allowIsolationTarget({ kind: 'process', target: command.join(' '), reason }),
    ];
  }

  /** Starts a server; throws `ERR_BROKER_NOT_FOUND` when the binary is missing, `ERR_BROKER` when it fails. */
  static async start(options: EmbeddedRedisOptions): Promise<EmbeddedRedis> {
    const binary = options.binary ?? 'redis-server';
    const executable = await findExecutable(binary);
    if (executable === undefined) throw notFound(binary);
    await reapOrphanedBrokers();
    await mkdir(ISOLATION_TEMP_DIRECTORY, { recursive: true });
    const directory = await mkdtemp(join(ISOLATION_TEMP_DIRECTORY, BROKER_DIRECTORY_PREFIX));
    installExitHook();
    directories.add(directory);
    writeBrokerOwner(directory, 0);
    const config = join(directory, 'redis.conf');
    let lastError: unknown;
    // Another process may take the free port between the probe and the bind: try a few.
    for (let tries = 0; tries < 3; tries++) {
      const port = await freePort();
      await writeFile(config, redisConfig({ port, directory, persistence: options.persistence }));
      const server = new EmbeddedRedis(
        port,
        directory,
        options.persistence,
        [executable, config],
        options.startTimeoutMs ?? 10_000,
      );
      try {
        await server.#launch();
        return server;
      } catch (error) {
        lastError = error;
        server.#release();
      }
    }
    await rm(directory, { recursive: true, force: true });
    directories.delete(directory);
    throw lastError;
  }

  /** The server's process id, or undefined while it is down. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** The `redis://` URL of this server. */
  get url(): string {
    return `redis://${this.host}:${this.port}`;
  }

  /** Kills the server with SIGKILL, as a crash would (nothing is flushed), and waits until it is gone. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    this.#child = undefined;
    child.kill('SIGKILL');
    await this.#exited;
  }

  /**
   * Starts the server again on the same port and data directory, and waits until it accepts connections. Does
   * nothing once stopped: a restart a fault scheduled must not bring back a server the run has shut down.
   */
  async restart(): Promise<void> {
    if (this.#child !== undefined || this.#stopped) return;
    await this.#launch();
  }

  /** Kills the server and removes its data directory; for good (see {@link EmbeddedRedis.restart}). */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.kill();
    this.#release();
    // A snapshot the server forked before the kill may still be writing: retry a directory not yet empty.
    await rm(this.directory, { recursive: true, force: true, maxRetries: 3 });
    directories.delete(this.directory);
  }

  #release(): void {
    for (const withdraw of this.#withdraw) withdraw();
  }

  #launch(): Promise<void> {
    const [file, config] = this.#command;
    const child = spawn(file, [config], { stdio: ['ignore', 'pipe', 'pipe'] });
    writeBrokerOwner(this.directory, child.pid ?? 0);
    this.#child = child;
    running.add(child);
    this.#exited = new Promise((resolve) => {
      child.once('exit', () => {
        running.delete(child);
        resolve();
      });
    });
    let output = '';
    return new Promise<void>((resolve, reject) => {
      const fail = (why: string): void => {
        clearTimeout(timer);
        if (this.#child === child) this.#child = undefined;
        child.kill('SIGKILL');
        reject(
          new StressError(
            'ERR_BROKER',
            `Expected redis-server to accept connections on 127.0.0.1:${this.port}, but ${why}. Its output:\n${output.slice(-2000)}`,
            { details: { port: this.port, directory: this.directory } },
          ),
        );
      };
      const timer = setTimeout(() => fail(`it was not ready after ${this.#timeoutMs} ms`), this.#timeoutMs);
      const read = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes(READY)) {
          clearTimeout(timer);
          child.stdout?.off('data', read);
          resolve();
        }
      };
      child.stdout?.on('data', read);
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.once('error', (error) => fail(`it could not be spawned (${error.message})`));
      child.once('exit', (code, signal) => {
        if (!output.includes(READY)) fail(`it exited first (code ${code}, signal ${signal})`);
      });
    });
  }
}
