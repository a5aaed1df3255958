import { bootstrap } from '@homeward/platform';
import { AppModule } from './app.module';

void bootstrap(AppModule.forRoot(), { name: 'resettlement', defaultPort: 3003, swagger: { title: 'Homeward resettlement — partner API (安置帮教)' } });
