import { Module } from '@nestjs/common';
import { KeyPersonsModule } from '../key-persons/key-persons.module';
import { SubjectsModule } from '../subjects/subjects.module';
import { EducationActivitiesResolver } from './education-activities.resolver';
import { EducationActivitiesService } from './education-activities.service';

/** CC-26 intensive training and education activities; attendance logs CC-9 education hours. */
@Module({ imports: [SubjectsModule, KeyPersonsModule], providers: [EducationActivitiesService, EducationActivitiesResolver] })
export class EducationActivitiesModule {}
