import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy to `targetPort` that forwards client → server at once and
 * server → client at most `chunkBytes` every `intervalMs`: a slow network for big replies.
 */
export class ThrottledProxy {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  port = 0;

  private constructor(targetPort: number, chunkBytes: number, intervalMs: number) {
    this.#server = createServer((client) => {
      const upstream = connect(targetPort, '127.0.0.1');
      this.#sockets.add(client).add(upstream);
      client.pipe(upstream);
      let backlog = Buffer.alloc(0);
      let timer: NodeJS.Timeout | undefined;
      const drip = () => {
        const chunk = backlog.subarray(0, chunkBytes);
        backlog = backlog.subarray(chunk.length);
        if (chunk.length > 0 && !client.destroyed) client.write(chunk);
        timer = backlog.length > 0 ? setTimeout(drip, intervalMs) : undefined;
      };
      upstream.on('data', (data: Buffer) => {
        backlog = Buffer.concat([backlog, data]);
        timer ??= setTimeout(drip, intervalMs);
      });
      const close = () => {
        clearTimeout(timer);
        client.destroy();
        upstream.destroy();
      };
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    });
  }

  static async start(
    targetPort: number,
    options: { chunkBytes: number; intervalMs: number },
  ): Promise<ThrottledProxy> {
    const proxy = new ThrottledProxy(targetPort, options.chunkBytes, options.intervalMs);
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    const address = proxy.#server.address();
    proxy.port = typeof address === 'object' && address ? address.port : 0;
    return proxy;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}
