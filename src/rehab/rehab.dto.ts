import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

export class SwitchInstitutionDto {
  @ApiProperty({ format: 'uuid', description: 'the designated rehabilitation institution to move to' }) @IsUUID() institutionId: string;
  @ApiProperty({ example: '家庭搬迁至县城，就近康复 / the family moved to town' }) @IsString() @MinLength(1) @MaxLength(500) reason: string;
}

export class RehabReportQuery {
  @ApiPropertyOptional({ example: 2026, description: 'service year (default: this year)' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year?: number;
  @ApiPropertyOptional({ example: '519901', description: 'an org unit in your scope (default: yours)' })
  @IsOptional() @IsString() @Matches(/^\d{6,12}$/) orgUnitCode?: string;
}
