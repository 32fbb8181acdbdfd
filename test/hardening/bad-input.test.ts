import { MemoryCacheStore } from 'glasswork';
import { badInputMatrix } from './bad-input-matrix.js';

badInputMatrix('MemoryCacheStore', () => new MemoryCacheStore());
