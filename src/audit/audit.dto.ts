import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = (name: string) => `${name} 须为日期 YYYY-MM-DD（北京时间）/ ${name} must be a calendar date YYYY-MM-DD (Asia/Shanghai)`;

/** Filters shared by the audit query and the CSV export (allow-list: anything else is a 400). */
export class AuditFilter {
  @ApiPropertyOptional({ example: '2026-12-01', description: 'first day, inclusive (Asia/Shanghai calendar day)' })
  @IsOptional() @Matches(DAY, { message: day('from') }) @IsISO8601({ strict: true }, { message: day('from') }) from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'last day, inclusive (Asia/Shanghai calendar day)' })
  @IsOptional() @Matches(DAY, { message: day('to') }) @IsISO8601({ strict: true }, { message: day('to') }) to?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'entries of this staff member (who must be in my scope)' })
  @IsOptional() @IsUUID('all', { message: 'actorId 须为用户 ID（UUID）/ actorId must be a staff id (UUID)' }) actorId?: string;

  @ApiPropertyOptional({ example: 'auth.login', description: "exact action: auth.login, audit.query, audit.export, or 'METHOD /route' (e.g. 'GET /persons/:id')" })
  @IsOptional() @IsString() @Length(1, 64) action?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional() @IsIn(['true', 'false'], { message: 'success 须为 true 或 false / success must be true or false' }) success?: 'true' | 'false';

  @ApiPropertyOptional({ example: 'person' }) @IsOptional() @IsString() @Length(1, 32) targetType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 80) targetId?: string;
}

export class AuditQuery extends AuditFilter {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page (opaque)' }) @IsOptional() @IsString() cursor?: string;
}
