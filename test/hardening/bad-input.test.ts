import { afterAll, beforeAll, describe } from 'vitest';
import { STORE_TARGETS } from '../helpers/store-matrix.js';
import { badInputMatrix } from './bad-input-matrix.js';

for (const target of STORE_TARGETS) {
  describe(target.name, () => {
    let opened: Awaited<ReturnType<typeof target.open>>;
    beforeAll(async () => {
      opened = await target.open();
    });
    afterAll(() => opened.close());
    badInputMatrix(target.name, () => opened.create());
  });
}
