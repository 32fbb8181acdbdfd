import type { Scenario } from '../harness/scenario.js';
import { bundleSize } from './bundle-size.js';
import { dynamodbBatch } from './dynamodb-batch.js';
import { dynamodbHit } from './dynamodb-hit.js';
import { dynamodbLargest } from './dynamodb-largest.js';
import { dynamodbStorage } from './dynamodb-storage.js';
import { importTime } from './import-time.js';
import { l1Coherence, l1Hit } from './l1.js';
import { memoryHit } from './memory-hit.js';
import { redisBatch } from './redis-batch.js';
import { redisDelete } from './redis-delete.js';
import { redisHit } from './redis-hit.js';
import { stampede } from './stampede.js';
import { swr } from './swr.js';
import { tagsHit, tagsInvalidate } from './tags.js';
import { wrapCold } from './wrap-cold.js';

/** Every scenario, in the order a full run takes them. */
export const SCENARIOS: readonly Scenario[] = [
  redisHit,
  dynamodbHit,
  redisBatch,
  dynamodbBatch,
  wrapCold,
  stampede,
  swr,
  redisDelete,
  dynamodbLargest,
  bundleSize,
  importTime,
  memoryHit,
  dynamodbStorage,
  l1Hit,
  l1Coherence,
  tagsHit,
  tagsInvalidate,
];
