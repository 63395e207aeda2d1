import { Module } from '@nestjs/common';
import { OrgsModule } from '../orgs/orgs.module';
import { ProgrammeConfigController } from './programme-config.controller';
import { ProgrammeConfigService } from './programme-config.service';

/**
 * Programme settings per jurisdiction: the versioned admin table (programme-config.*).
 * The resolution of the version in force for a case lives in programme-settings.service.ts.
 */
@Module({
  imports: [OrgsModule],
  controllers: [ProgrammeConfigController],
  providers: [ProgrammeConfigService],
  exports: [ProgrammeConfigService],
})
export class ProgrammesModule {}
