export { runStoreConformance, type StoreConformanceOptions } from './conformance.js';
