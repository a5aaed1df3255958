import { bootstrap } from '@homeward/platform';
import { AppModule } from './app.module';

void bootstrap(AppModule.forRoot(), {
  name: 'community-correction',
  defaultPort: 3002,
  swagger: { title: 'Homeward community correction — partner API (社区矫正)' },
});
