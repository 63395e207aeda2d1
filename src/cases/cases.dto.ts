import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';
import { PROGRAMMES as REGISTRY } from '../../workflows/contracts';

export const PROGRAMMES = Object.keys(REGISTRY);

export class StartCaseDto {
  @ApiProperty({ enum: PROGRAMMES, example: 'cataract' }) @IsIn(PROGRAMMES) programme: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() personId: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'programme-specific application fields (e.g. diagnosis, chosen institution, course)' })
  @IsOptional() @IsObject() details?: Record<string, unknown>;
  @ApiPropertyOptional({
    format: 'date', example: '2026-11-20',
    description: '受理日期: the day a paper application was received (Asia/Shanghai), not in the future, at most 30 days back; the first step\'s time limit counts from it. Default: today',
  })
  @IsOptional() @IsString() receivedAt?: string;
}

export class ListCasesQuery {
  @ApiPropertyOptional({ enum: ['open', 'closed'] }) @IsOptional() @IsIn(['open', 'closed']) status?: 'open' | 'closed';
  @ApiPropertyOptional({ enum: PROGRAMMES }) @IsOptional() @IsIn(PROGRAMMES) programme?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() step?: string;
  @ApiPropertyOptional({ description: 'only cases under this org unit (within your scope)' }) @IsOptional() @IsString() orgUnitCode?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() cursor?: string;
}
