import { Module } from '@nestjs/common';
import { OrgsModule } from '../orgs/orgs.module';
import { PiiCipherService } from '../security/pii-cipher.service';
import { PersonsController } from './persons.controller';
import { PersonsService } from './persons.service';

@Module({
  imports: [OrgsModule],
  controllers: [PersonsController],
  providers: [PersonsService, PiiCipherService],
  exports: [PersonsService],
})
export class PersonsModule {}
