import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { RehabController } from './rehab.controller';
import { RehabService } from './rehab.service';

/** Child rescue rehabilitation: institution waitlists, switching institution, the yearly report feed. */
@Module({ imports: [CasesModule], controllers: [RehabController], providers: [RehabService] })
export class RehabModule {}
