import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { MAX_EXTENSION_WORKING_DAYS } from '../../workflows/contracts';

export const STUCK_CATEGORIES = ['overdue', 'no_progress', 'followup_overdue', 'partner_unacknowledged'] as const;
export type StuckCategory = (typeof STUCK_CATEGORIES)[number];

/** "5" (every step) or "screening:3,surgery:10,*:5" (per step, * = the others). */
const DAYS_SPEC = /^(\d{1,3}|([a-z0-9_]{1,40}|\*):\d{1,3}(,([a-z0-9_]{1,40}|\*):\d{1,3})*)$/;

export class ScopeQuery {
  @ApiPropertyOptional({ description: 'an org unit inside my scope (default: my own)' })
  @IsOptional() @Matches(/^\d{6,12}$/) orgUnitCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(32) programme?: string;
}

export class StuckQuery extends ScopeQuery {
  @ApiProperty({ enum: STUCK_CATEGORIES })
  @IsIn(STUCK_CATEGORIES as unknown as string[]) category: StuckCategory;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) step?: string;
  @ApiPropertyOptional({ description: 'no progress after N working days: "5" or "screening:3,surgery:10,*:5" (default: settings.rules.noProgressDays, else 5)' })
  @IsOptional() @Matches(DAYS_SPEC) noProgressDays?: string;
  @ApiPropertyOptional({ description: 'partner referral unclaimed after N working days (default: settings.rules.partnerAckDays, else 2)' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(365) partnerAckDays?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}

export class SummaryQuery extends ScopeQuery {
  @ApiPropertyOptional() @IsOptional() @Matches(DAYS_SPEC) noProgressDays?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(365) partnerAckDays?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 26, default: 12, description: 'weeks of the SLA compliance trend (Monday to Sunday, Shanghai), ending with this week' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(26) weeks?: number;
}

export class BottleneckQuery extends ScopeQuery {
  @ApiPropertyOptional({ example: '2026-01-01', description: 'completed on or after (default: 1 January this year)' })
  @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/) from?: string;
  @ApiPropertyOptional({ example: '2026-12-31', description: 'completed on or before (default: today)' })
  @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/) to?: string;
}

export class ReassignDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() toUserId: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(500) reason?: string;
}

export class NudgeDto {
  @ApiPropertyOptional({ description: 'a note for the assignee' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(500) reason?: string;
}

export class EscalateDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(500) reason: string;
}

export class ExtendDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(500) reason: string;
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_EXTENSION_WORKING_DAYS, description: 'working days added to the later of the due date and today' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_EXTENSION_WORKING_DAYS) workingDays?: number;
  @ApiPropertyOptional({ example: '2026-12-15', description: 'or: the new due date (a working day after the current due date)' })
  @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/) dueDate?: string;
}

export class BulkReassignDto {
  @ApiProperty({ format: 'uuid', description: 'the person who left' }) @IsUUID() fromUserId: string;
  @ApiProperty({ format: 'uuid', description: 'the person who takes over' }) @IsUUID() toUserId: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(500) reason?: string;
}
