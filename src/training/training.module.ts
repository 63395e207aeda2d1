import { Module } from '@nestjs/common';
import { OrgsModule } from '../orgs/orgs.module';
import { ProgrammeSettingsService } from '../programmes/programme-settings.service';
import { TrainingController } from './training.controller';
import { TrainingService } from './training.service';

/** Vocational training → placement: courses, positions, employer quota, institution payment, reports. */
@Module({ imports: [OrgsModule], controllers: [TrainingController], providers: [TrainingService, ProgrammeSettingsService] })
export class TrainingModule {}
