import { CacheDependencyError } from 'glasswork';
import { describe, expect, it } from 'vitest';
import { lazyPeer } from '../../src/stores/load-peer.js';

const peer = (importer: () => Promise<unknown>) =>
  lazyPeer({
    packageName: 'some-client',
    storeClass: 'SomeStore',
    storeName: 'some',
    importer,
    pick: (namespace) => (namespace as { Client?: unknown }).Client,
    expected: 'Client class',
  });

describe('lazyPeer: one loader for every optional peer', () => {
  it('shares one import between concurrent first calls', async () => {
    let imports = 0;
    const load = peer(async () => {
      imports++;
      return { Client: 'client' };
    });
    const loaded = await Promise.all([load(), load(), load()]);
    expect(loaded).toEqual(['client', 'client', 'client']);
    expect(imports).toBe(1);
  });

  it('forgets a failed import, so the next use tries again', async () => {
    let attempt = 0;
    const load = peer(async () => {
      attempt++;
      if (attempt === 1) throw Object.assign(new Error('EMFILE'), { code: 'EMFILE' });
      return { Client: 'client' };
    });
    await expect(load()).rejects.toMatchObject({ code: 'E_MISSING_DEPENDENCY' });
    await expect(load()).resolves.toBe('client');
    expect(attempt).toBe(2);
  });

  it('says "not installed" only when the package itself cannot be resolved', async () => {
    const missing = Object.assign(new Error("Cannot find package 'some-client'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const error = await peer(() => Promise.reject(missing))().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CacheDependencyError);
    expect(error).toMatchObject({ code: 'E_MISSING_DEPENDENCY', store: 'some', cause: missing });
    expect((error as Error).message).toBe(
      'SomeStore needs the optional peer dependency some-client, which is not installed: npm install some-client',
    );
  });

  it('tells an installed package that failed to load apart, with the cause and a bundling hint', async () => {
    const bundled = new Error('Dynamic require of "events" is not supported');
    const error = (await peer(() => Promise.reject(bundled))().catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'E_MISSING_DEPENDENCY', cause: bundled });
    expect(error.message).toContain('found some-client but could not load it');
    expect(error.message).toContain('Dynamic require of "events" is not supported');
    expect(error.message).toContain('createRequire');
    expect(error.message).not.toContain('not installed');

    const brokenDependency = Object.assign(new Error("Cannot find module 'denque'"), {
      code: 'MODULE_NOT_FOUND',
    });
    const broken = (await peer(() => Promise.reject(brokenDependency))().catch(
      (e: unknown) => e,
    )) as Error;
    expect(broken.message).toContain('could not load it');
  });

  it('refuses a package without what the store needs', async () => {
    const error = (await peer(async () => ({}))().catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(
      'SomeStore loaded some-client but found no Client class in it; install a supported version: npm install some-client',
    );
  });
});
