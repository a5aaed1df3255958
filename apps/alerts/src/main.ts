import { bootstrap } from '@homeward/platform';
import { AppModule } from './app.module';

void bootstrap(AppModule.forRoot(), { name: 'alerts', defaultPort: 3005, swagger: { title: 'Homeward alerts (预警)' } });
