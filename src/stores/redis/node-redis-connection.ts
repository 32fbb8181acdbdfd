/**
 * The parts of a node-redis (4 or 5) client and Cluster the adapter calls, and what it does
 * with a connection besides sending commands: opening a subscriber, closing at once.
 */
import type { RedisArg, RedisSubscriber, SubscriberEvents } from './commands.js';

/** A connection of node-redis (4 or 5), as the adapter calls it. */
export interface Connection {
  readonly isOpen: boolean;
  readonly isReady?: boolean;
  sendCommand(args: readonly RedisArg[], options?: object): Promise<unknown>;
  duplicate(overrides?: object): Connection;
  connect(): Promise<unknown>;
  on(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
  subscribe(
    channels: string[],
    listener: (message: string, channel: string) => void,
  ): Promise<void>;
  publish(channel: string, message: string): Promise<unknown>;
  close?(): Promise<unknown>;
  quit?(): Promise<unknown>;
  destroy?(): void;
  disconnect?(): Promise<unknown>;
}

/** A node-redis Cluster, as the adapter calls it. */
export interface ClusterConnection extends Omit<Connection, 'sendCommand' | 'duplicate'> {
  readonly masters: readonly object[];
  nodeClient(master: object): Connection | Promise<Connection>;
  sendCommand(
    firstKey: RedisArg | undefined,
    isReadonly: boolean | undefined,
    args: readonly RedisArg[],
    options?: object,
  ): Promise<unknown>;
  duplicate(overrides?: object): ClusterConnection;
}

/**
 * Connects `client` (a `duplicate()` of the store's) as a subscriber that reports to
 * `events`: `lost` when the connection drops, `ready` when it is up again (node-redis
 * resubscribes on its own; the bus subscribes again to report the gap).
 */
export function openSubscriber(
  client: Connection | ClusterConnection,
  cluster: boolean,
  events: SubscriberEvents,
): RedisSubscriber {
  let closed = false;
  client.on('error', noop);
  client.on('reconnecting', () => events.lost());
  client.on('end', () => events.lost());
  if (!cluster) client.on('ready', () => events.ready());
  client.connect().then(() => {
    // Closed while it was connecting: the client counts as closed, yet its socket opened.
    if (closed) destroy(client, true);
    // A Cluster emits no `ready`: it is ready once connected.
    else if (cluster) events.ready();
  }, noop);
  const deliver = (message: string, channel: string) => events.message(channel, message);
  return {
    get ready() {
      return cluster ? client.isOpen : client.isReady === true;
    },
    subscribe: (channels) => client.subscribe([...channels], deliver),
    close: () => {
      closed = true;
      destroy(client);
    },
  };
}

/** Closes a node-redis connection at once (v5 `destroy`, v4 `disconnect`), if open. */
export function destroy(
  client: Omit<Connection, 'sendCommand' | 'duplicate'>,
  evenIfClosed = false,
): void {
  if (!client.isOpen && !evenIfClosed) return;
  try {
    if (client.destroy) client.destroy();
    else client.disconnect?.().catch(noop);
  } catch {}
}

export function noop(): void {}
