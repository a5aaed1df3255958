import { Module } from '@nestjs/common';
import { SubjectsModule } from '../subjects/subjects.module';
import { RestorativeResolver } from './restorative.resolver';
import { RestorativeService } from './restorative.service';

/** CC-17 restorative justice (损害修复) cases: staff GraphQL. */
@Module({ imports: [SubjectsModule], providers: [RestorativeService, RestorativeResolver] })
export class RestorativeModule {}
