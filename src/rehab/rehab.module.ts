import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { ProgrammeSettingsService } from '../programmes/programme-settings.service';
import { RehabController } from './rehab.controller';
import { RehabService } from './rehab.service';

/** Child rescue rehabilitation: institution waitlists, switching institution, a child's service year, the yearly report feed. */
@Module({ imports: [CasesModule], controllers: [RehabController], providers: [RehabService, ProgrammeSettingsService] })
export class RehabModule {}
