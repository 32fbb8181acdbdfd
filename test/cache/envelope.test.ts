/**
 * The envelope: what every store holds. Round trips of any value, tags and times; the head
 * alone (what `has` and the l1 tier read); the first format; and malformed payloads, which
 * must decode as `undefined` (a logged miss), never as a wrong entry.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeEntry,
  decodeHead,
  ENVELOPE_HEAD_LENGTH,
  encodeEntry,
  entryHead,
} from '../../src/cache/envelope.js';

const entry = (tags: string[] = [], payload = '{"a":1}') => ({
  payload,
  createdAtMs: 1_780_000_000_000,
  expiresAtMs: 1_780_000_600_000,
  generation: 'abcd1234',
  tags,
});

describe('envelope', () => {
  it('round-trips any payload, tags and times', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.array(fc.tuple(fc.string({ minLength: 1 }), fc.stringMatching(/^[0-9a-z]{8}$/)), {
          maxLength: 5,
        }),
        fc.nat({ max: 2 ** 42 }),
        fc.nat({ max: 2 ** 42 }),
        (payload, pairs, createdAtMs, ttlMs) => {
          const original = {
            payload,
            createdAtMs,
            expiresAtMs: createdAtMs + ttlMs,
            generation: 'g0000000',
            tags: pairs.flat(),
          };
          const raw = encodeEntry(original);
          expect(decodeEntry(raw)).toEqual(original);
          expect(raw.startsWith(entryHead(original))).toBe(true);
          expect(decodeHead(raw)).toEqual({
            createdAtMs,
            expiresAtMs: createdAtMs + ttlMs,
            generation: 'g0000000',
            tagged: pairs.length > 0,
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('decodes an untagged head from its first ENVELOPE_HEAD_LENGTH characters', () => {
    const raw = encodeEntry(entry([], 'x'.repeat(1000)));
    expect(decodeHead(raw.slice(0, ENVELOPE_HEAD_LENGTH))).toMatchObject({ tagged: false });
    // A tagged head says so even when its stamp is cut; the whole entry is then read.
    const tagged = encodeEntry(entry(['catalog', 'v0000001'], 'x'.repeat(1000)));
    expect(decodeHead(tagged.slice(0, ENVELOPE_HEAD_LENGTH))).toMatchObject({ tagged: true });
    expect(decodeEntry(tagged.slice(0, ENVELOPE_HEAD_LENGTH))).toBeUndefined();
  });

  it('reads the first format (gw1:) with no generation, so it is never valid', () => {
    expect(decodeEntry('gw1:1:2:{"a":1}')).toEqual({
      payload: '{"a":1}',
      createdAtMs: 1,
      expiresAtMs: 2,
      generation: '',
      tags: [],
    });
    expect(decodeHead('gw1:1:2:')).toEqual({
      createdAtMs: 1,
      expiresAtMs: 2,
      generation: '',
      tagged: false,
    });
  });

  it.each([
    ['not an envelope', 'hello'],
    ['a cut head', 'gw2:1:2:abcd1234'],
    ['times that are not numbers', 'gw2:!:2:abcd1234:0:x'],
    ['a stamp length that is not a number', 'gw2:1:2:abcd1234:?:x'],
    ['a negative stamp length', 'gw2:1:2:abcd1234:-1:x'],
    ['a stamp longer than the payload', 'gw2:1:2:abcd1234:z:["a","b"]'],
    ['a stamp that is not JSON', 'gw2:1:2:abcd1234:5:["a",x'],
    ['a stamp of odd length', 'gw2:1:2:abcd1234:5:["a"]x'],
    ['a stamp with a non-string', 'gw2:1:2:abcd1234:8:["a",12]x'],
    ['a stamp that is an object', 'gw2:1:2:abcd1234:7:{"a":1}x'],
  ])('refuses %s', (_, raw) => {
    expect(decodeEntry(raw)).toBeUndefined();
  });
});
