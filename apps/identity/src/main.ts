import { bootstrap } from '@homeward/platform';
import { AppModule } from './app.module';

void bootstrap(AppModule, {
  name: 'identity',
  defaultPort: 3001,
  swagger: { title: 'Homeward identity: staff login, partner tokens, JWKS' },
});
