import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { AuthUser, CurrentUser } from '../auth/auth-user';
import { notFound } from '../common/domain-error';

class NotificationQuery {
  @ApiPropertyOptional({ enum: ['unread', 'all'], default: 'all' }) @IsOptional() @IsIn(['unread', 'all']) filter?: 'unread' | 'all';
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 30 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
}

/** In-app notifications of the signed-in user (reminders, escalations, assignments). */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly ds: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'My notifications, newest first, with the unread count' })
  async list(@CurrentUser() user: AuthUser, @Query() q: NotificationQuery) {
    const rows = await this.ds.query(
      `SELECT id, type, title, body, case_id AS "caseId", task_id AS "taskId", read_at AS "readAt", created_at AS "createdAt"
       FROM notification WHERE user_id = $1 ${q.filter === 'unread' ? 'AND read_at IS NULL' : ''}
       ORDER BY created_at DESC, id LIMIT $2`,
      [user.id, q.limit ?? 30],
    );
    const [{ n }] = await this.ds.query(`SELECT count(*)::int AS n FROM notification WHERE user_id = $1 AND read_at IS NULL`, [user.id]);
    return { unread: n, items: rows };
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark one of my notifications as read' })
  async read(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string) {
    // TypeORM returns [rows, affectedCount] for UPDATE on Postgres.
    const [, affected]: [unknown[], number] = await this.ds.query(
      `UPDATE notification SET read_at = coalesce(read_at, now()) WHERE id = $1 AND user_id = $2`,
      [id, user.id],
    );
    if (!affected) throw notFound('notification');
    return { id, read: true };
  }
}
