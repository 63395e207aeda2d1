import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsIsoDate } from './iso-date';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

export class YearQuery {
  @ApiPropertyOptional({ description: 'Calendar year (default: this year in Asia/Shanghai)', example: 2027 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(MIN_YEAR) @Max(MAX_YEAR)
  year?: number;
}

export class WorkingDaysQuery {
  @ApiProperty({ description: 'Start day (not counted), YYYY-MM-DD', example: '2026-09-28' })
  @IsIsoDate()
  from: string;

  @ApiProperty({ description: 'Working days to add', minimum: 0, maximum: 365, example: 10 })
  @Type(() => Number) @IsInt() @Min(0) @Max(365)
  n: number;
}

export class PutOverrideDto {
  @ApiProperty({ enum: ['holiday', 'workday'], description: 'holiday = day off; workday = make-up working day (调休上班)' })
  @IsIn(['holiday', 'workday'])
  kind: 'holiday' | 'workday';

  @ApiProperty({ example: '国庆节', maxLength: 40 })
  @Transform(trim) @IsString() @MinLength(1) @MaxLength(40)
  name: string;
}

export class MarkYearDto {
  @ApiProperty({ description: 'Where the schedule comes from, e.g. the State Council notice', example: '国办发明电〔2026〕7号', maxLength: 200 })
  @Transform(trim) @IsString() @MinLength(1) @MaxLength(200)
  source: string;
}

export class OverrideView {
  @ApiProperty({ example: '2027-10-01' }) date: string;
  @ApiProperty({ enum: ['holiday', 'workday'] }) kind: 'holiday' | 'workday';
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) createdBy: string | null;
  @ApiProperty() createdAt: string;
}

export class OverrideList {
  @ApiProperty({ type: [OverrideView] }) items: OverrideView[];
}

export class PutOverrideResult extends OverrideView {
  @ApiProperty({ description: 'false when an existing override was replaced' }) created: boolean;
}

class OverrideCounts {
  @ApiProperty() holidays: number;
  @ApiProperty() workdays: number;
}

class MarkedYear {
  @ApiProperty({ type: String, nullable: true }) source: string | null;
  @ApiProperty() createdAt: string;
}

export class CalendarStatus {
  @ApiProperty() year: number;
  @ApiProperty({
    enum: ['official', 'admin', 'fallback'],
    description: 'admin = the admin table is marked complete; official = the bundled State Council data; fallback = neither: weekends only',
  })
  coverage: 'official' | 'admin' | 'fallback';
  @ApiProperty({ type: String, nullable: true, description: 'zh-CN / en warning when coverage is fallback' }) warning: string | null;
  @ApiProperty({ type: OverrideCounts }) overrides: OverrideCounts;
  @ApiProperty({ type: MarkedYear, nullable: true }) markedComplete: MarkedYear | null;
  @ApiProperty({ description: 'Whether the bundled dataset has this year' }) inDataset: boolean;
  @ApiProperty({ type: [Number], description: 'Years the bundled dataset covers' }) datasetYears: number[];
}

export class MarkYearResult {
  @ApiProperty() year: number;
  @ApiProperty() source: string;
  @ApiProperty({ type: OverrideCounts }) overrides: OverrideCounts;
}

export class WorkingDaysResult {
  @ApiProperty() from: string;
  @ApiProperty() n: number;
  @ApiProperty({ description: 'The n-th working day after from (from itself not counted)', example: '2026-10-13' }) dueDate: string;
  @ApiProperty({ description: 'End of the due day, Asia/Shanghai, as an instant' }) dueAt: string;
  @ApiProperty({ enum: ['official', 'admin', 'fallback'], description: 'Weakest coverage of the years involved' }) coverage: 'official' | 'admin' | 'fallback';
  @ApiProperty({ type: String, nullable: true }) warning: string | null;
}
