import type { Context } from './context.js';
import type { ScenarioOutput } from './result.js';

export interface Scenario {
  /** The name `--only` takes. */
  id: string;
  title: string;
  /** Left out of the default run; runs when named with `--only`. */
  extra?: boolean;
  run(ctx: Context): Promise<ScenarioOutput>;
}
