import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Max, Min } from 'class-validator';
import { Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { AuthUser, CurrentUser, Public } from '../auth/auth-user';
import { DomainError, notFound } from '../common/domain-error';
import { NotificationStreamService, StreamEvent } from './notification-stream.service';
import { channelsFor, checkPreferences, Preferences, STAFF_TYPES } from './preferences';

class NotificationQuery {
  @ApiPropertyOptional({ enum: ['unread', 'all'], default: 'all' }) @IsOptional() @IsIn(['unread', 'all']) filter?: 'unread' | 'all';
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 30 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
}

class StreamQuery {
  @ApiPropertyOptional({ description: 'stream token from POST /notifications/stream-token (EventSource cannot send headers)' })
  @IsOptional()
  @IsString()
  token?: string;
}

class PreferencesDto {
  @ApiProperty({ description: 'channels per notification type, e.g. { "task_escalated": ["sms", "wecom"] }; in-app is always on', example: { task_escalated: ['sms'], daily_digest: ['email'] } })
  @IsObject()
  channels: Record<string, string[]>;
}

/** In-app notifications of the signed-in user (reminders, escalations, assignments), live stream, preferences. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(
    private readonly ds: DataSource,
    private readonly streams: NotificationStreamService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'My notifications, newest first, with the unread count' })
  async list(@CurrentUser() user: AuthUser, @Query() q: NotificationQuery) {
    const rows = await this.ds.query(
      `SELECT id, type, title, body, case_id AS "caseId", task_id AS "taskId", read_at AS "readAt", created_at AS "createdAt"
       FROM notification WHERE user_id = $1 ${q.filter === 'unread' ? 'AND read_at IS NULL' : ''}
       ORDER BY created_at DESC, id LIMIT $2`,
      [user.id, q.limit ?? 30],
    );
    return { unread: await this.streams.unread(user.id), items: rows };
  }

  @Get('unread-count')
  @ApiOperation({ summary: 'My unread count (the badge)' })
  async unread(@CurrentUser() user: AuthUser) {
    return { unread: await this.streams.unread(user.id) };
  }

  @Post('stream-token')
  @HttpCode(200)
  @ApiOperation({ summary: 'A 60-second token to open GET /notifications/stream?token=… (EventSource cannot send Authorization)' })
  streamToken(@CurrentUser() user: AuthUser) {
    return this.streams.issueToken(user.id);
  }

  @Public()
  @Sse('stream')
  @ApiOperation({
    summary: 'Live in-app notifications (Server-Sent Events): `unread` first, then one `notification` event per new one',
    description: 'Authenticate with ?token= from POST /notifications/stream-token (valid 60 s, accepted only here; access tokens are not accepted in URLs).',
  })
  async stream(@Query() q: StreamQuery): Promise<Observable<StreamEvent>> {
    const userId = await this.streams.authenticate(q.token);
    return this.streams.stream(userId);
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark all my notifications as read' })
  async readAll(@CurrentUser() user: AuthUser) {
    const [, affected]: [unknown[], number] = await this.ds.query(
      `UPDATE notification SET read_at = now() WHERE user_id = $1 AND read_at IS NULL`,
      [user.id],
    );
    return { marked: affected, unread: 0 };
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

  @Get('preferences')
  @ApiOperation({ summary: 'My channels per notification type (stored and effective)' })
  async preferences(@CurrentUser() user: AuthUser) {
    const rows: { channels: Preferences }[] = await this.ds.query(`SELECT channels FROM notification_preference WHERE user_id = $1`, [user.id]);
    return this.preferenceView(rows[0]?.channels ?? {});
  }

  @Put('preferences')
  @ApiOperation({ summary: 'Set my channels per notification type (in-app is always on; types not listed keep the default)' })
  async setPreferences(@CurrentUser() user: AuthUser, @Body() dto: PreferencesDto) {
    const problem = checkPreferences(dto.channels);
    if (problem) throw new DomainError(422, 'INVALID_PREFERENCES', problem);
    const clean: Preferences = {};
    for (const [t, list] of Object.entries(dto.channels)) clean[t as keyof Preferences] = [...new Set(list.filter((c) => c !== 'in_app'))] as any;
    await this.ds.query(
      `INSERT INTO notification_preference (user_id, channels) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET channels = EXCLUDED.channels, updated_at = now()`,
      [user.id, JSON.stringify(clean)],
    );
    return this.preferenceView(clean);
  }

  private preferenceView(stored: Preferences) {
    return {
      channels: stored,
      effective: Object.fromEntries(STAFF_TYPES.map((t) => [t, channelsFor(t, stored)])),
    };
  }
}
