import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

@Module({ imports: [CasesModule], controllers: [TasksController], providers: [TasksService] })
export class TasksModule {}
