import { isModuleError, type ModuleError } from 'glasswork';
import { expect } from 'vitest';

/** Runs `action` and returns the ModuleError it throws or rejects with. */
export async function moduleError(action: () => unknown): Promise<ModuleError> {
  try {
    await action();
  } catch (error) {
    expect(isModuleError(error), String(error)).toBe(true);
    return error as ModuleError;
  }
  throw new Error('expected a ModuleError');
}
