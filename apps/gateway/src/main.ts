import { bootstrap } from '@homeward/platform';
import { GatewayModule } from './app.module';
import { GATEWAY_BOOTSTRAP } from './create-app';

void bootstrap(GatewayModule.forRoot(), GATEWAY_BOOTSTRAP).catch((err: unknown) => {
  // Config errors name the variable; anything else is a start-up failure worth its stack.
  console.error(err instanceof Error ? (err.name === 'ConfigError' ? err.message : err.stack) : err);
  process.exit(1);
});
