import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';
import { TaskUpdates } from './task-updates';

@Module({ imports: [CasesModule], controllers: [TasksController], providers: [TasksService, TaskUpdates] })
export class TasksModule {}
