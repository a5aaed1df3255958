import { bootstrap } from '@homeward/platform';
import { AppModule } from './app.module';

void bootstrap(AppModule.forRoot(), { name: 'aftercare', defaultPort: 3004, swagger: { title: 'Homeward aftercare — partner API (后续照管)' } });
