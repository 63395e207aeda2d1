import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { COURSE_TYPES } from '../../workflows/contracts';
import { IsIsoDate } from '../calendar/iso-date';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const ORG_CODE = /^\d{6,12}$/;
export const COURSE_STATUSES = ['open', 'closed', 'cancelled'] as const;
export const POSITION_STATUSES = ['open', 'closed'] as const;

export class ListCoursesQuery {
  @ApiPropertyOptional({ example: 2026 }) @IsOptional() @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year?: number;
  @ApiPropertyOptional({ description: 'a county (or the city above) in your scope', example: '519901' })
  @IsOptional() @Matches(ORG_CODE) orgUnitCode?: string;
  @ApiPropertyOptional({ enum: COURSE_TYPES }) @IsOptional() @IsIn(COURSE_TYPES) type?: string;
  @ApiPropertyOptional({ enum: COURSE_STATUSES }) @IsOptional() @IsIn(COURSE_STATUSES) status?: string;
}

export class CreateCourseDto {
  @ApiProperty({ example: '2026年电子商务技能培训班', maxLength: 120 }) @Transform(trim) @IsString() @MinLength(1) @MaxLength(120) name: string;
  @ApiProperty({ enum: COURSE_TYPES }) @IsIn(COURSE_TYPES) type: string;
  @ApiProperty({ description: 'the county whose plan holds the course (in your scope)', example: '519901' }) @Matches(ORG_CODE) orgUnitCode: string;
  @ApiPropertyOptional({ description: 'plan year; defaults to the year the course starts', example: 2026 })
  @IsOptional() @IsInt() @Min(2000) @Max(2100) year?: number;
  @ApiProperty({ format: 'uuid', description: 'a training institution (partner of kind training_institution) of the county or the city' })
  @IsUUID() institutionId: string;
  @ApiProperty({ example: '2026-03-02' }) @IsIsoDate() startDate: string;
  @ApiProperty({ example: '2026-03-27' }) @IsIsoDate() endDate: string;
  @ApiProperty({ example: 120, description: 'course hours (a trainee may be recorded for up to 10 % more)' }) @IsInt() @Min(1) @Max(3000) hours: number;
  @ApiProperty({ example: 30 }) @IsInt() @Min(1) @Max(1000) places: number;
  @ApiProperty({ example: '县职业技能培训学校 3 楼' }) @Transform(trim) @IsString() @MinLength(1) @MaxLength(200) location: string;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'agreed fee per trainee (yuan); omitted = programme setting trainingFeePerTrainee' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(1_000_000) feePerTrainee?: number | null;
  @ApiPropertyOptional({ enum: COURSE_STATUSES, default: 'open' }) @IsOptional() @IsIn(COURSE_STATUSES) status?: string;
}

/** What may change on a course; dates, hours and institution only while nobody holds a place. */
export class UpdateCourseDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MinLength(1) @MaxLength(120) name?: string;
  @ApiPropertyOptional({ enum: COURSE_TYPES }) @IsOptional() @IsIn(COURSE_TYPES) type?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() institutionId?: string;
  @ApiPropertyOptional() @IsOptional() @IsIsoDate() startDate?: string;
  @ApiPropertyOptional() @IsOptional() @IsIsoDate() endDate?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(3000) hours?: number;
  @ApiPropertyOptional({ description: 'more places move waitlisted trainees in' }) @IsOptional() @IsInt() @Min(1) @Max(1000) places?: number;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MinLength(1) @MaxLength(200) location?: string;
  @ApiPropertyOptional({ type: Number, nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(1_000_000) feePerTrainee?: number | null;
  @ApiPropertyOptional({ enum: COURSE_STATUSES, description: 'closed = no new enrolments; cancelled = nobody starts' })
  @IsOptional() @IsIn(COURSE_STATUSES) status?: string;
}

export class ListPositionsQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() employerId?: string;
  @ApiPropertyOptional({ enum: POSITION_STATUSES }) @IsOptional() @IsIn(POSITION_STATUSES) status?: string;
}

export class CreatePositionDto {
  @ApiProperty({ format: 'uuid', description: 'an employer (partner of kind employer) in your area' }) @IsUUID() employerId: string;
  @ApiProperty({ example: '食品包装工' }) @Transform(trim) @IsString() @MinLength(1) @MaxLength(120) title: string;
  @ApiProperty({ example: 3 }) @IsInt() @Min(1) @Max(10_000) openings: number;
  @ApiPropertyOptional({ type: Number, nullable: true, example: 2600 }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(1_000_000) monthlyPay?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, example: 24 }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(1) @Max(120) contractMonths?: number | null;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() socialInsurance?: boolean;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(200) location?: string;
  @ApiPropertyOptional({ enum: POSITION_STATUSES, default: 'open' }) @IsOptional() @IsIn(POSITION_STATUSES) status?: string;
}

export class UpdatePositionDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MinLength(1) @MaxLength(120) title?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(10_000) openings?: number;
  @ApiPropertyOptional({ type: Number, nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(1_000_000) monthlyPay?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(1) @Max(120) contractMonths?: number | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() socialInsurance?: boolean;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(200) location?: string;
  @ApiPropertyOptional({ enum: POSITION_STATUSES }) @IsOptional() @IsIn(POSITION_STATUSES) status?: string;
}

export class EmployerProfileDto {
  @ApiProperty({ description: 'staff on the payroll (在职职工总数)', example: 180 }) @IsInt() @Min(0) @Max(10_000_000) headcount: number;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'quota rate if local rules differ from the programme setting (0.015 = 1.5 %)' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsNumber({ maxDecimalPlaces: 4 }) @Min(0) @Max(0.5) quotaRate?: number | null;
}

export class YearQuery {
  @ApiPropertyOptional({ example: 2026, description: 'defaults to this year' }) @IsOptional() @Type(() => Number) @IsInt() @Min(2000) @Max(2100) year?: number;
}

export class ReportQuery extends YearQuery {
  @ApiPropertyOptional({ description: 'only trainees under this org unit (within your scope)', example: '519901' })
  @IsOptional() @Matches(ORG_CODE) orgUnitCode?: string;
}
