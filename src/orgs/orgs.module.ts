import { Module } from '@nestjs/common';
import { OrgUnitsController } from './org-units.controller';
import { OrgUnitsService } from './org-units.service';
import { PartnersController } from './partners.controller';
import { PartnersService } from './partners.service';

/** Reference data: the federation's org tree and its partner institutions. */
@Module({
  controllers: [OrgUnitsController, PartnersController],
  providers: [OrgUnitsService, PartnersService],
  exports: [OrgUnitsService, PartnersService],
})
export class OrgsModule {}
