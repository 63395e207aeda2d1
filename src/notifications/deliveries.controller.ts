import { InjectQueue } from '@nestjs/bullmq';
import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { personInUserScope } from '../persons/persons.service';
import { CasesService } from '../cases/cases.service';
import { APP_CONFIG, AppConfig } from '../config/config';
import { conflict, notFound } from '../common/domain-error';
import { CHANNEL_QUEUES } from '../queues/redis';
import { DeliveryStore } from './delivery-store';
import { channelJobId, channelJobOptions } from './router';
import { CHANNELS, ChannelName } from './types';

/** Delivery history of a case: every message, channel and attempt (beside the case timeline). */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('cases')
export class CaseDeliveriesController {
  private readonly store: DeliveryStore;
  constructor(
    ds: DataSource,
    private readonly cases: CasesService,
  ) {
    this.store = new DeliveryStore(ds);
  }

  @Get(':caseId/deliveries')
  @ApiOperation({ summary: 'Notifications about this case: per message and channel, every attempt with its outcome' })
  async deliveries(@CurrentUser() user: AuthUser, @Param('caseId', new ParseUUIDPipe()) caseId: string) {
    await this.cases.visibleCase(user, caseId); // 404 outside the caller's scope
    return { items: await this.store.forCase(caseId) };
  }
}

class DeadLetterQuery {
  @ApiPropertyOptional({ enum: CHANNELS }) @IsOptional() @IsIn(CHANNELS as unknown as string[]) channel?: ChannelName;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

/** Dead letters: deliveries that failed their last retry (or failed permanently); admins retry those of their area. */
@ApiTags('admin: notifications')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin/notifications')
export class AdminNotificationsController {
  private readonly store: DeliveryStore;
  private readonly queues: Record<ChannelName, Queue>;
  constructor(
    ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(CHANNEL_QUEUES.in_app) inApp: Queue,
    @InjectQueue(CHANNEL_QUEUES.email) email: Queue,
    @InjectQueue(CHANNEL_QUEUES.sms) sms: Queue,
    @InjectQueue(CHANNEL_QUEUES.wecom) wecom: Queue,
    @InjectQueue(CHANNEL_QUEUES.dingtalk) dingtalk: Queue,
  ) {
    this.store = new DeliveryStore(ds);
    this.queues = { in_app: inApp, email, sms, wecom, dingtalk };
  }

  @Get('dead-letters')
  @ApiOperation({ summary: 'Deliveries in my area that gave up (last retry failed, permanent error, or cut off mid-send on a group robot)' })
  async deadLetters(@CurrentUser() user: AuthUser, @Query() q: DeadLetterQuery) {
    return { items: await this.store.deadLetters(user.orgPath, q.limit ?? 100, q.channel) };
  }

  @Post('dead-letters/:id/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a dead letter of my area again (a fresh set of retries); 409 if it is not dead (already retried or sent), 404 if unknown or outside my area' })
  async retry(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string) {
    const d = await this.store.requeueDead(id, user.orgPath);
    if (d === 'not_found') throw notFound('delivery');
    if (d === 'not_dead') throw conflict('NOT_DEAD', '该消息不在发送失败列表中（已重发或已送达） / this delivery is not in the dead-letter list (already retried or sent)');
    const jobId = channelJobId(d.id, d.retries);
    await this.queues[d.channel].add('retry', { deliveryId: d.id }, {
      jobId,
      ...channelJobOptions({ attempts: this.config.NOTIFY_MAX_ATTEMPTS, backoffMs: this.config.NOTIFY_BACKOFF_MS }),
    });
    return { id: d.id, channel: d.channel, status: 'queued', retry: d.retries };
  }
}

class SmsConsentDto {
  @ApiProperty({ description: 'true: the resident agreed to receive SMS reminders; false: withdrawn' }) @IsBoolean() consent: boolean;
  @ApiPropertyOptional({ description: 'how it was obtained, e.g. "signed form at the village office"' }) @IsOptional() @IsString() @MaxLength(200) note?: string;
}

const CONSENT_ROLES = ['village_caseworker', 'township_officer', 'county_officer', 'admin'] as const;

/** A resident's SMS consent (no SMS to a resident without it). */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('persons')
export class SmsConsentController {
  constructor(private readonly ds: DataSource) {}

  private async person(user: AuthUser, id: string) {
    const rows: { org_path: string; residence_org_path: string | null }[] = await this.ds.query(`SELECT org_path, residence_org_path FROM person WHERE id = $1`, [id]);
    // Admins too: an admin's scope is their org unit and below, as everywhere else (hukou or residence area).
    if (!rows[0] || !personInUserScope(user, rows[0])) throw notFound('person');
    return rows[0];
  }

  @Get(':id/sms-consent')
  @Roles(...CONSENT_ROLES, 'manager')
  @ApiOperation({ summary: 'Whether SMS consent is recorded for this resident' })
  async get(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string) {
    await this.person(user, id);
    const rows: any[] = await this.ds.query(`SELECT consent, consent_at, recorded_by, note, updated_at FROM person_sms_consent WHERE person_id = $1`, [id]);
    const r = rows[0];
    return { personId: id, consent: r?.consent ?? false, consentAt: r?.consent_at ?? null, recordedBy: r?.recorded_by ?? null, note: r?.note ?? null, updatedAt: r?.updated_at ?? null };
  }

  @Put(':id/sms-consent')
  @Roles(...CONSENT_ROLES)
  @ApiOperation({ summary: 'Record (or withdraw) the resident’s consent to SMS reminders' })
  async set(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: SmsConsentDto) {
    await this.person(user, id);
    const rows: any[] = await this.ds.query(
      `INSERT INTO person_sms_consent (person_id, consent, consent_at, recorded_by, note)
       VALUES ($1, $2, CASE WHEN $2 THEN now() END, $3, $4)
       ON CONFLICT (person_id) DO UPDATE SET consent = EXCLUDED.consent,
         consent_at = CASE WHEN EXCLUDED.consent THEN coalesce(CASE WHEN person_sms_consent.consent THEN person_sms_consent.consent_at END, now()) END,
         recorded_by = EXCLUDED.recorded_by, note = EXCLUDED.note, updated_at = now()
       RETURNING consent, consent_at, recorded_by, note, updated_at`,
      [id, dto.consent, user.id, dto.note ?? null],
    );
    const r = rows[0];
    return { personId: id, consent: r.consent, consentAt: r.consent_at, recordedBy: r.recorded_by, note: r.note, updatedAt: r.updated_at };
  }
}
