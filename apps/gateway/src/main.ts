import { bootstrap } from '@homeward/platform';
import { GatewayModule } from './app.module';
import { GATEWAY_BOOTSTRAP } from './create-app';

async function main(): Promise<void> {
  await bootstrap(GatewayModule.forRoot(), GATEWAY_BOOTSTRAP);
}

main().catch((err: unknown) => {
  // A config error names every bad variable; anything else is a start-up failure worth its stack.
  console.error(err instanceof Error ? (err.name === 'ConfigError' ? err.message : err.stack) : err);
  process.exit(1);
});
