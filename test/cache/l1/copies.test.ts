/** The L1 copies: usability windows, LRU order, and reads overtaken by invalidations. */
import { describe, expect, it } from 'vitest';
import { encodeEntry } from '../../../src/cache/envelope.js';
import { Copies } from '../../../src/cache/l1/copies.js';

const NOW = Date.now();
const raw = (value: string, expiresAtMs = NOW + 60_000) =>
  encodeEntry({
    payload: JSON.stringify(value),
    createdAtMs: NOW,
    expiresAtMs,
    generation: 'abcdefgh',
    tags: [],
  });

describe('Copies', () => {
  it('serves a copy until maxAgeMs after its store call started, or its expiry if sooner', () => {
    const copies = new Copies(10, 1000);
    copies.put('a', raw('a'), NOW, NOW + 10);
    copies.put('b', raw('b', NOW + 500), NOW, NOW);
    expect(copies.get('a', NOW + 999)).toBe(raw('a'));
    expect(copies.get('a', NOW + 1000)).toBeUndefined();
    expect(copies.get('b', NOW + 499)).toBeDefined();
    expect(copies.get('b', NOW + 500)).toBeUndefined();
    expect(copies.size).toBe(0);
  });

  it('keeps no malformed payload and nothing already too old', () => {
    const copies = new Copies(10, 1000);
    copies.put('x', 'not an envelope', NOW, NOW);
    copies.put('y', raw('y'), NOW, NOW + 1000);
    expect(copies.size).toBe(0);
  });

  it('a read overtaken by an invalidation of its key, or of everything, keeps nothing', () => {
    const copies = new Copies(10, 1000);
    const first = copies.begin();
    const second = copies.begin();
    copies.drop('a');
    copies.settle('a', first, raw('a'), Date.now());
    copies.settle('b', second, raw('b'), Date.now());
    expect(copies.size).toBe(1); // b was not invalidated
    const third = copies.begin();
    copies.clear();
    copies.settle('c', third, raw('c'), Date.now());
    expect(copies.size).toBe(0);
  });

  it('past 10,000 keys invalidated during overlapping reads, overtakes every read', () => {
    const copies = new Copies(10, 1000);
    const ticket = copies.begin();
    for (let i = 0; i < 10_001; i++) copies.drop(`k${i}`);
    copies.settle('other', ticket, raw('other'), Date.now());
    expect(copies.size).toBe(0);
  });
});
