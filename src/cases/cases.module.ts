import { Module } from '@nestjs/common';
import { ProgrammeSettingsService } from '../programmes/programme-settings.service';
import { PiiCipherService } from '../security/pii-cipher.service';
import { CasesController } from './cases.controller';
import { CasesService } from './cases.service';

@Module({ controllers: [CasesController], providers: [CasesService, ProgrammeSettingsService, PiiCipherService], exports: [CasesService] })
export class CasesModule {}
