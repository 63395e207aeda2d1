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
  @ApiProperty({ type: GuardianView, nullable: true }) guardian: GuardianView | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class PersonPage {
  @ApiProperty({ type: [PersonListItem] }) items: PersonListItem[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page; null on the last page' }) nextCursor: string | null;
}
