import { seededRandom } from './random.js';

/**
 * Deterministic JSON that looks like an API response (orders with customers, line items,
 * addresses, timestamps, free text), for size, compression and capacity measurements.
 */

const WORDS = (
  'account active address amount annual april area audit balance basket batch billing brand ' +
  'budget bundle cancel card cart catalog category charge checkout city claim client code ' +
  'comment company contract country coupon credit currency customer daily debit default ' +
  'delivery deposit detail device discount dispatch district draft due email entry estimate ' +
  'event expense export express fee field filter final fiscal fleet freight gateway gift ' +
  'global grade gross group handling holiday import income invoice issue item journal label ' +
  'ledger limit line list local lot manual margin market member merchant method minimum ' +
  'monthly net note notice number offer office online open order origin package paid parcel ' +
  'partner payment pending period plan point policy portal premium price priority product ' +
  'profile promo quantity quarter quote rate rebate receipt record refund region regular ' +
  'remote renewal report request reserve retail return revenue review route sale schedule ' +
  'seller service session shipment shipping size sku standard state status stock store ' +
  'subtotal supplier support tax term ticket total tracking trade transfer trial unit update ' +
  'user value vendor voucher warehouse weekly weight yearly zone'
).split(' ');
const FIRST =
  'Ada Ben Chloe Dmitri Elif Farah Gustav Hana Ivan Jun Kofi Lena Mateo Nia Omar Priya'.split(' ');
const LAST =
  'Adams Berg Costa Dubois Eriksen Fischer Garcia Haddad Ito Jansen Kowalski Li Moreau'.split(' ');
const CITIES = 'Berlin Lisbon Osaka Toronto Nairobi Lima Oslo Dublin Seoul Austin Lyon Porto'.split(
  ' ',
);
const STATUSES = ['pending', 'paid', 'shipped', 'delivered', 'refunded', 'cancelled'];

/**
 * An array of order records whose JSON is at least `bytes` long (and about that long).
 * Like a real listing, customers and products recur (drawn from pools), numbers and
 * timestamps grow in small steps, and ids carry a few random bytes each.
 */
export function realisticRecords(bytes: number, seed = 1): unknown[] {
  const next = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const hex = (length: number) =>
    Array.from({ length }, () => Math.floor(next() * 16).toString(16)).join('');
  const words = (count: number) => Array.from({ length: count }, () => pick(WORDS)).join(' ');
  const customers = Array.from({ length: 400 }, () => {
    const first = pick(FIRST);
    const last = pick(LAST);
    return {
      id: `cus_${hex(14)}`,
      name: `${first} ${last}`,
      email: `${first.toLowerCase()}.${last.toLowerCase()}@example.com`,
      address: {
        street: `${1 + Math.floor(next() * 300)} ${pick(WORDS)} street`,
        city: pick(CITIES),
        postalCode: String(10_000 + Math.floor(next() * 89_999)),
      },
    };
  });
  const products = Array.from({ length: 250 }, () => ({
    sku: `SKU-${hex(6).toUpperCase()}`,
    name: words(3),
    unitPrice: Math.round(next() * 50_000) / 100,
  }));
  const records: unknown[] = [];
  let timeMs = 1_700_000_000_000;
  let size = 2;
  for (let i = 0; size < bytes; i++) {
    timeMs += Math.floor(next() * 600_000);
    const items = Array.from({ length: 1 + Math.floor(next() * 4) }, () => ({
      ...pick(products),
      quantity: 1 + Math.floor(next() * 5),
    }));
    const record = {
      id: `ord_${hex(10)}`,
      number: 100_000 + i,
      status: pick(STATUSES),
      createdAt: new Date(timeMs).toISOString(),
      updatedAt: new Date(timeMs + Math.floor(next() * 86_400_000)).toISOString(),
      customer: pick(customers),
      items,
      total:
        Math.round(items.reduce((sum, item) => sum + item.unitPrice * item.quantity, 0) * 100) /
        100,
      currency: 'EUR',
      tags: Array.from({ length: Math.floor(next() * 3) }, () => pick(WORDS)),
      note: next() < 0.2 ? words(4 + Math.floor(next() * 8)) : null,
    };
    size += JSON.stringify(record).length + 1;
    records.push(record);
  }
  return records;
}

/** The JSON text of {@link realisticRecords}. */
export function realisticJson(bytes: number, seed = 1): string {
  return JSON.stringify(realisticRecords(bytes, seed));
}
