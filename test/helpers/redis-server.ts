import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const running = new Set<ChildProcess>();

// A crashed suite must not leave servers behind.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(address),
      );
    });
  });
}

/** Runs redis-cli against a loopback port; resolves its output, trimmed. */
export async function redisCli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], {
    timeout: 10_000,
  });
  return stdout.trim();
}

/** Calls `check` every 50 ms until it resolves true; rejects after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/**
 * A private `redis-server` on a loopback port, in a temporary directory, persisting
 * nothing. Stop it (or the whole set) in `afterAll`.
 */
export class RedisServer {
  readonly port: number;
  readonly dir: string;
  readonly #args: string[];
  #child: ChildProcess | undefined;

  private constructor(port: number, args: string[]) {
    this.port = port;
    this.#args = args;
    this.dir = mkdtempSync(join(tmpdir(), 'glasswork-redis-'));
  }

  /** Starts a server on a free port (or `port`); extra `redis-server` arguments are appended. */
  static async start(options: { port?: number; args?: string[] } = {}): Promise<RedisServer> {
    const server = new RedisServer(options.port ?? (await freePort()), options.args ?? []);
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** The server's process id, while it runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Starts the server again on the same port and waits until it answers PING. */
  async restart(): Promise<void> {
    if (this.#child) throw new Error(`redis-server on ${this.port} is already running`);
    const child = spawn(
      'redis-server',
      [
        ...['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir],
        ...['--save', '', '--appendonly', 'no', '--logfile', join(this.dir, 'redis.log')],
        ...this.#args,
      ],
      { stdio: 'ignore' },
    );
    this.#child = child;
    running.add(child);
    child.once('exit', () => {
      running.delete(child);
      if (this.#child === child) this.#child = undefined;
    });
    await waitFor(`redis-server on ${this.port}`, async () => {
      return (await redisCli(this.port, 'ping')) === 'PONG';
    });
  }

  /** Sends `signal` to the server (SIGSTOP pauses it, SIGCONT resumes it). */
  signal(signal: NodeJS.Signals): void {
    this.#child?.kill(signal);
  }

  /** Kills the server at once (a crash) and resolves when it is gone. */
  async kill(): Promise<void> {
    await this.#terminate('SIGKILL');
  }

  /** Stops the server and removes its directory. */
  async stop(): Promise<void> {
    await this.#terminate('SIGTERM');
    rmSync(this.dir, { recursive: true, force: true });
  }

  async #terminate(signal: NodeJS.Signals): Promise<void> {
    const child = this.#child;
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGCONT');
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * A Redis Cluster of `masters` private servers (no replicas) on loopback ports, created
 * with `redis-cli --cluster create` and ready (`cluster_state:ok` on every node).
 */
export class RedisClusterServers {
  readonly servers: RedisServer[];

  private constructor(servers: RedisServer[]) {
    this.servers = servers;
  }

  static async start(masters = 3): Promise<RedisClusterServers> {
    const servers: RedisServer[] = [];
    try {
      for (let node = 0; node < masters; node++) {
        const busPort = await freePort();
        servers.push(
          await RedisServer.start({
            args: [
              ...['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf'],
              ...['--cluster-port', String(busPort), '--cluster-node-timeout', '5000'],
            ],
          }),
        );
      }
      const addresses = servers.map((server) => `127.0.0.1:${server.port}`);
      await run(
        'redis-cli',
        ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'],
        { timeout: 30_000 },
      );
      for (const server of servers) {
        await waitFor(`cluster_state:ok on ${server.port}`, async () =>
          (await redisCli(server.port, 'cluster', 'info')).includes('cluster_state:ok'),
        );
      }
      return new RedisClusterServers(servers);
    } catch (error) {
      await Promise.all(servers.map((server) => server.stop()));
      throw error;
    }
  }

  /** Startup nodes for ioredis: `{ host, port }` of every master. */
  get nodes(): Array<{ host: string; port: number }> {
    return this.servers.map((server) => ({ host: '127.0.0.1', port: server.port }));
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.stop()));
  }
}
