import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
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
  ValidateNested,
} from 'class-validator';
import { HARDSHIP_FLAGS, type HardshipFlag } from './person.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const PHONE = /^[0-9+\-() ]{3,20}$/;
const PHONE_MSG = '$property 只能包含数字、空格、+ - ( )，不超过20位 / $property may contain digits, spaces, + - ( ) only, at most 20 characters';

export class GuardianDto {
  @ApiProperty({ example: '李四' })
  @Transform(trim) @IsString() @MinLength(1) @MaxLength(64)
  name: string;

  @ApiProperty({ example: '母亲', description: 'Relation to the person (free text, e.g. 父亲 / 母亲 / 配偶 / 子女 / 代理人)' })
  @Transform(trim) @IsString() @MinLength(1) @MaxLength(32)
  relation: string;

  @ApiPropertyOptional({ example: '13800000000' })
  @IsOptional() @IsString() @Matches(PHONE, { message: PHONE_MSG })
  phone?: string;
}

export class RegisterPersonDto {
  @ApiProperty({ description: '18-character resident ID (GB 11643); checked, not just formatted', example: '11010519491231002X' })
  @IsString() @MaxLength(32)
  residentId: string;

  @ApiProperty({ example: '张三' })
  @Transform(trim) @IsString() @MinLength(1) @MaxLength(64)
  name: string;

  @ApiPropertyOptional({ example: '13800000000' })
  @IsOptional() @IsString() @Matches(PHONE, { message: PHONE_MSG })
  phone?: string;

  @ApiProperty({ description: 'Hukou village/community code; must be in your scope', example: '360121100201' })
  @IsString() @Matches(/^\d{6,12}$/, { message: 'hukouOrgCode 须为村（社区）代码 / hukouOrgCode must be a village code' })
  hukouOrgCode: string;

  @ApiPropertyOptional({
    description: 'Residence village/community code (居住地, e.g. where a residence permit was issued), if not the hukou village. ' +
      'Staff of either area see the person; at least one of the two villages must be in your scope.',
    example: '360121100202',
  })
  @IsOptional() @IsString() @Matches(/^\d{6,12}$/, { message: 'residenceOrgCode 须为村（社区）代码 / residenceOrgCode must be a village code' })
  residenceOrgCode?: string;

  @ApiPropertyOptional({ description: 'Second-generation certificate: resident ID + category digit + grade digit [+ B<n>]', example: '11010519491231002X43' })
  @IsOptional() @IsString() @MaxLength(32)
  disabilityCertNo?: string;

  @ApiPropertyOptional({ enum: HARDSHIP_FLAGS, isArray: true, description: 'dibao 低保 · tekun 特困 · jiandang 建档立卡 · low_income 低收入 · near_dibao 低保边缘' })
  @IsOptional() @IsArray() @ArrayMaxSize(HARDSHIP_FLAGS.length * 2) @IsIn(HARDSHIP_FLAGS, { each: true })
  hardship?: HardshipFlag[];

  @ApiPropertyOptional({ type: GuardianDto })
  @IsOptional() @ValidateNested() @Type(() => GuardianDto)
  guardian?: GuardianDto;
}

/**
 * PUT /persons/:id — what may change after registration. A field left out stays as it is; null
 * clears it (phone, guardian, certificate, category/grade, residence). The resident ID and what
 * comes from it (birth date, sex), the name and the hukou village cannot be changed here: they are
 * listed so the refusal can say why instead of "should not exist".
 */
export class UpdatePersonDto {
  @ApiPropertyOptional({ type: String, nullable: true, example: '13800000000' })
  @IsOptional() @IsString() @Matches(PHONE, { message: PHONE_MSG })
  phone?: string | null;

  @ApiPropertyOptional({ type: GuardianDto, nullable: true, description: 'Replaces the guardian; null removes it' })
  @IsOptional() @ValidateNested() @Type(() => GuardianDto)
  guardian?: GuardianDto | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Validated like at registration (must embed this person’s resident ID); sets category and grade from its digits. null removes it.' })
  @IsOptional() @IsString() @MaxLength(32)
  disabilityCertNo?: string | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: 7, description: '1 视力 … 7 多重; must match the certificate if there is one' })
  @IsOptional() @IsInt() @Min(1) @Max(7)
  disabilityCategory?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: 4, description: '1 most severe … 4 mildest; must match the certificate if there is one' })
  @IsOptional() @IsInt() @Min(1) @Max(4)
  disabilityGrade?: number | null;

  @ApiPropertyOptional({ enum: HARDSHIP_FLAGS, isArray: true, description: 'Replaces the hardship flags' })
  @IsOptional() @IsArray() @ArrayMaxSize(HARDSHIP_FLAGS.length * 2) @IsIn(HARDSHIP_FLAGS, { each: true })
  hardship?: HardshipFlag[];

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Residence village (居住地); null removes it. The hukou or the new residence village must be in your scope.' })
  @IsOptional() @IsString() @Matches(/^\d{6,12}$/, { message: 'residenceOrgCode 须为村（社区）代码 / residenceOrgCode must be a village code' })
  residenceOrgCode?: string | null;

  @ApiPropertyOptional({ deprecated: true, description: 'Not editable (400 IMMUTABLE_FIELD)' }) @IsOptional()
  residentId?: unknown;
  @ApiPropertyOptional({ deprecated: true, description: 'Not editable: comes from the resident ID (400 IMMUTABLE_FIELD)' }) @IsOptional()
  birthDate?: unknown;
  @ApiPropertyOptional({ deprecated: true, description: 'Not editable: comes from the resident ID (400 IMMUTABLE_FIELD)' }) @IsOptional()
  sex?: unknown;
  @ApiPropertyOptional({ deprecated: true, description: 'Not editable here (400 IMMUTABLE_FIELD)' }) @IsOptional()
  name?: unknown;
  @ApiPropertyOptional({ deprecated: true, description: 'Not editable: a hukou move is a transfer (400 IMMUTABLE_FIELD)' }) @IsOptional()
  hukouOrgCode?: unknown;
}

export class ListPersonsQuery {
  @ApiPropertyOptional({ description: 'Name prefix; a full 18-character resident ID finds that person exactly', example: '张' })
  @IsOptional() @Transform(trim) @IsString() @MaxLength(64)
  q?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page (opaque)' })
  @IsOptional() @IsString() @MaxLength(400)
  cursor?: string;
}

class CategoryView {
  @ApiProperty({ minimum: 1, maximum: 7 }) code: number;
  @ApiProperty({ example: 'limb' }) key: string;
  @ApiProperty({ example: '肢体' }) name: string;
  @ApiProperty({ example: 'Physical (limb)' }) nameEn: string;
}

export class PersonListItem {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'Masked in lists: first 6 + ******** + last 4', example: '110105********002X' }) residentId: string;
  @ApiProperty({ description: 'true when residentId (and the certificate number) are masked' }) masked: boolean;
  @ApiProperty({ enum: ['M', 'F'] }) sex: 'M' | 'F';
  @ApiProperty({ example: '1949-12-31' }) birthDate: string;
  @ApiProperty({ description: 'Whole years today (Asia/Shanghai)' }) age: number;
  @ApiProperty() hukouOrgCode: string;
  @ApiProperty() hukouOrgName: string;
  @ApiProperty({ type: String, nullable: true, description: 'Residence village (居住地), if recorded' }) residenceOrgCode: string | null;
  @ApiProperty({ type: String, nullable: true }) residenceOrgName: string | null;
  @ApiProperty({ type: CategoryView, nullable: true }) disabilityCategory: CategoryView | null;
  @ApiProperty({ type: Number, nullable: true, description: '1 most severe … 4 mildest' }) disabilityGrade: number | null;
  @ApiProperty({ enum: HARDSHIP_FLAGS, isArray: true }) hardship: HardshipFlag[];
}

class GuardianView {
  @ApiProperty() name: string;
  @ApiProperty() relation: string;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
}

export class PersonDetail extends PersonListItem {
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Masked like residentId unless you may see the full number' }) disabilityCertNo: string | null;
  @ApiProperty({ description: 'Certificate reissue count (B<n>), 0 if none' }) certReissue: number;
  @ApiProperty() orgPath: string;
  @ApiProperty({ type: String, nullable: true }) residenceOrgPath: string | null;
  @ApiProperty({ type: GuardianView, nullable: true }) guardian: GuardianView | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class PersonPage {
  @ApiProperty({ type: [PersonListItem] }) items: PersonListItem[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page' }) nextCursor: string | null;
}
