import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export class YearlyQuery {
  @ApiProperty({ example: 2026 }) @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year: number;
  @ApiPropertyOptional({ description: 'an org unit inside my scope (default: my own)' }) @IsOptional() @Matches(/^\d{6,12}$/) orgUnitCode?: string;
}

export class DrilldownQuery extends YearlyQuery {
  @ApiProperty({ example: 'cataract.surgeries' }) @Matches(/^[a-z0-9_-]{1,40}\.[a-z0-9_]{1,60}$/) figure: string;
}
