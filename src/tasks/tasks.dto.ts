import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

export class InboxQuery {
  @ApiPropertyOptional({ enum: ['all', 'mine', 'claimable'], default: 'all', description: 'mine = assigned to me; claimable = unclaimed in my role and area' })
  @IsOptional() @IsIn(['all', 'mine', 'claimable']) view?: 'all' | 'mine' | 'claimable';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(32) programme?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) step?: string;
  @ApiPropertyOptional({ enum: ['overdue', 'today', 'week'] }) @IsOptional() @IsIn(['overdue', 'today', 'week']) due?: 'overdue' | 'today' | 'week';
  @ApiPropertyOptional({ enum: ['approval', 'record', 'followup'] }) @IsOptional() @IsIn(['approval', 'record', 'followup']) kind?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() cursor?: string;
}

export class FollowUpQuery {
  @ApiPropertyOptional({ example: '2026-11-23' }) @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/) from?: string;
  @ApiPropertyOptional({ example: '2026-11-30' }) @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}$/) to?: string;
  @ApiPropertyOptional({ enum: ['open', 'completed', 'all'], default: 'open' }) @IsOptional() @IsIn(['open', 'completed', 'all']) status?: string;
}

export class DecisionDto {
  @ApiProperty({ enum: ['approve', 'reject', 'return', 'reassign', 'submit'] })
  @IsIn(['approve', 'reject', 'return', 'reassign', 'submit'])
  action: 'approve' | 'reject' | 'return' | 'reassign' | 'submit';
  @ApiPropertyOptional({ description: 'required to reject or return' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(500) reason?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'reassign: the new assignee' }) @IsOptional() @IsUUID() toUserId?: string;
  @ApiPropertyOptional({ description: 'submit: the fields of the record or follow-up', type: 'object', additionalProperties: true })
  @IsOptional() @IsObject() data?: Record<string, unknown>;
}

export class FollowUpDto {
  @ApiProperty({ type: 'object', additionalProperties: true, example: { reached: true, uncorrectedAcuity: 0.4, correctedAcuity: 0.6 } })
  @IsObject() data: Record<string, unknown>;
}
