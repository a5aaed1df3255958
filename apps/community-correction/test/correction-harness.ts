import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { ServiceApp, bootServiceApp, testRedisPrefix } from '@homeward/testing';
import { AppModule } from '../src/app.module';
import { CorrectionConfig } from '../src/config';

export type CorrectionApp = ServiceApp<CorrectionConfig>;

/**
 * The community-correction app for a medium test: fresh database, Redis prefix `hwt:<label>:…`,
 * tokens of `keys` accepted, `clock` injected; `env` adds or overrides variables.
 */
export function bootCorrectionApp(opts: { label: string; clock: FixedClock; keys: TestKeys; env?: Record<string, string> }): Promise<CorrectionApp> {
  return bootServiceApp({
    name: 'community-correction',
    appModule: (overrides) => AppModule.forRoot(overrides),
    config: CorrectionConfig,
    keys: opts.keys,
    clock: opts.clock,
    prefix: testRedisPrefix(opts.label),
    env: opts.env,
  });
}
