/**
 * Redis Cluster hash slots: CRC16 (XMODEM) of the key, or of its first non-empty
 * `{hash tag}`, modulo 16384. Multi-key commands must stay within one slot.
 */
export const SLOT_COUNT = 16384;

let table: Uint16Array | undefined;

function crcTable(): Uint16Array {
  const built = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
    built[byte] = crc & 0xffff;
  }
  return built;
}

/** The hash slot of `key` (its bytes, as Redis sees them). */
export function keySlot(key: Buffer): number {
  table ??= crcTable();
  const crcs = table;
  let start = 0;
  let end = key.length;
  const open = key.indexOf(0x7b); // {
  if (open !== -1) {
    const close = key.indexOf(0x7d, open + 1); // }
    if (close > open + 1) {
      start = open + 1;
      end = close;
    }
  }
  let crc = 0;
  for (let i = start; i < end; i++)
    crc = ((crc << 8) ^ crcs[((crc >> 8) ^ key[i]!) & 0xff]!) & 0xffff;
  return crc % SLOT_COUNT;
}
