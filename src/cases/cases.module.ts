import { Module } from '@nestjs/common';
import { ProgrammeSettingsService } from '../programmes/programme-settings.service';
import { CasesController } from './cases.controller';
import { CasesService } from './cases.service';

@Module({ controllers: [CasesController], providers: [CasesService, ProgrammeSettingsService], exports: [CasesService] })
export class CasesModule {}
