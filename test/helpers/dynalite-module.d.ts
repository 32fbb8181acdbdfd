declare module 'dynalite' {
  import type { Server } from 'node:http';

  /** Options of dynalite's in-process DynamoDB server (in memory when `path` is omitted). */
  interface DynaliteOptions {
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    path?: string;
  }

  export default function dynalite(options?: DynaliteOptions): Server;
}
