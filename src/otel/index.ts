export { type GlassworkInstrumentationOptions, instrumentGlasswork } from './instrument.js';
export type { KeyAttributeMode } from './keys.js';
