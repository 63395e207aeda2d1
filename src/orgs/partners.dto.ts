import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { IsIsoDate } from '../calendar/iso-date';
import { PARTNER_KINDS, type PartnerKind } from './partner.entity';

export const PARTNER_STATUSES = ['active', 'suspended'] as const;
const SERVICE_CODE = /^[a-z][a-z0-9_]{1,39}$/;
const SERVICE_MSG = 'services 每项须为小写服务代码，如 cataract_surgery / each service must be a lower-case code such as cataract_surgery';
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class ListPartnersQuery {
  @ApiPropertyOptional({ description: 'Only partners offering this service code', example: 'cataract_surgery' })
  @IsOptional() @IsString() @MaxLength(40)
  service?: string;

  @ApiPropertyOptional({ enum: PARTNER_KINDS })
  @IsOptional() @IsIn(PARTNER_KINDS)
  kind?: PartnerKind;

  @ApiPropertyOptional({ enum: PARTNER_STATUSES })
  @IsOptional() @IsIn(PARTNER_STATUSES)
  status?: 'active' | 'suspended';
}

export class CreatePartnerDto {
  @ApiProperty({ example: '南昌县人民医院', maxLength: 120 })
  @Transform(trim) @IsString() @MinLength(1) @MaxLength(120)
  name: string;

  @ApiProperty({ enum: PARTNER_KINDS })
  @IsIn(PARTNER_KINDS)
  kind: PartnerKind;

  @ApiProperty({ description: 'Org unit (city or county) whose federation holds the agreement; must be in your scope', example: '360121' })
  @IsString() @Matches(/^\d{6,12}$/, { message: 'orgUnitCode 须为6至12位数字 / orgUnitCode must be 6-12 digits' })
  orgUnitCode: string;

  @ApiProperty({ type: [String], example: ['cataract_screening', 'cataract_surgery'] })
  @IsArray() @ArrayMaxSize(50) @Matches(SERVICE_CODE, { each: true, message: SERVICE_MSG })
  services: string[];

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Places available at once; null or omitted = unlimited', example: 40 })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(0) @Max(1_000_000)
  capacity?: number | null;

  @ApiProperty({ example: '2026-01-01' })
  @IsIsoDate()
  agreementStart: string;

  @ApiProperty({ example: '2026-12-31' })
  @IsIsoDate()
  agreementEnd: string;

  @ApiPropertyOptional({ enum: PARTNER_STATUSES, default: 'active' })
  @IsOptional() @IsIn(PARTNER_STATUSES)
  status?: 'active' | 'suspended';
}

/** Only what may change on an agreement; kind and org unit are fixed (create a new partner instead). */
export class UpdatePartnerDto {
  @ApiPropertyOptional({ maxLength: 120 })
  @IsOptional() @Transform(trim) @IsString() @MinLength(1) @MaxLength(120)
  name?: string;

  @ApiPropertyOptional({ enum: PARTNER_STATUSES, description: 'suspended = dynamic exit: no new referrals' })
  @IsOptional() @IsIn(PARTNER_STATUSES)
  status?: 'active' | 'suspended';

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'null = unlimited' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(0) @Max(1_000_000)
  capacity?: number | null;

  @ApiPropertyOptional({ example: '2026-01-01' })
  @IsOptional() @IsIsoDate()
  agreementStart?: string;

  @ApiPropertyOptional({ example: '2026-12-31' })
  @IsOptional() @IsIsoDate()
  agreementEnd?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @Matches(SERVICE_CODE, { each: true, message: SERVICE_MSG })
  services?: string[];
}

export class PartnerView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: PARTNER_KINDS }) kind: PartnerKind;
  @ApiProperty() orgUnitCode: string;
  @ApiProperty() orgUnitName: string;
  @ApiProperty({ type: [String] }) services: string[];
  @ApiProperty({ type: Number, nullable: true, description: 'null = unlimited' }) capacity: number | null;
  @ApiProperty({ description: 'Open cases currently held by this partner' }) used: number;
  @ApiProperty({ type: Number, nullable: true, description: 'capacity minus open cases (never below 0); null = unlimited' })
  available: number | null;
  @ApiProperty() agreementStart: string;
  @ApiProperty() agreementEnd: string;
  @ApiProperty({ description: 'The agreement dates contain today (Asia/Shanghai)' }) inForce: boolean;
  @ApiProperty({ enum: PARTNER_STATUSES }) status: 'active' | 'suspended';
  @ApiProperty({ description: 'active, in force and with a place left: may take a new referral' }) acceptsReferrals: boolean;
  @ApiProperty({ description: 'Whether you may edit it (its org unit is in your scope and your role allows it)' }) editable: boolean;
  @ApiProperty() updatedAt: string;
}

export class PartnerList {
  @ApiProperty({ type: [PartnerView] }) items: PartnerView[];
}
