import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { ORG_LEVELS } from './org-unit.entity';
import { OrgUnitsService } from './org-units.service';

export class OrgTreeQuery {
  @ApiPropertyOptional({ description: 'Code of the subtree root (default: your own org unit); must be in your scope', example: '360121' })
  @IsOptional() @IsString()
  root?: string;

  @ApiPropertyOptional({ description: 'Levels below the root to include (default: all)', minimum: 0, maximum: 4 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(4)
  depth?: number;
}

export class CreateOrgUnitDto {
  @ApiProperty({ description: 'Division code: a county 6 digits sharing its city\'s first 4, a township its county\'s 6 + 3, a village its township\'s 9 + 3', example: '360121105' })
  @IsString() @Matches(/^\d{6,12}$/, { message: 'code must be a 6-12 digit division code' })
  code: string;

  @ApiProperty({ description: 'The parent unit (in your scope); the new unit is one level below it', example: '360121' })
  @IsString() @Matches(/^\d{6,12}$/, { message: 'parentCode must be a 6-12 digit division code' })
  parentCode: string;

  @ApiProperty({ example: '塔城乡' }) @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'Tacheng Township' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MinLength(1) @MaxLength(100) nameEn?: string | null;
}

export class UpdateOrgUnitDto {
  @ApiPropertyOptional({ example: '塔城乡' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'null clears it' })
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MinLength(1) @MaxLength(100) nameEn?: string | null;
  @ApiPropertyOptional({ description: 'false deactivates the unit (409 while a sub-unit, an open case or a staff account there is active); true reactivates it' })
  @IsOptional() @IsBoolean() active?: boolean;
}

class OrgUnitSummary {
  @ApiProperty({ example: '360121' }) code: string;
  @ApiProperty({ example: '南昌县' }) name: string;
  @ApiProperty({ type: String, nullable: true }) nameEn: string | null;
  @ApiProperty({ enum: ORG_LEVELS }) level: string;
  @ApiProperty({ type: String, nullable: true }) parentCode: string | null;
  @ApiProperty({ example: '/360100/360121/' }) path: string;
  @ApiProperty({ description: 'false: deactivated (kept for history)' }) active: boolean;
}

export class OrgUnitNodeView extends OrgUnitSummary {
  @ApiProperty({ type: () => [OrgUnitNodeView] }) children: OrgUnitNodeView[];
}

export class OrgUnitDetailView extends OrgUnitSummary {
  @ApiProperty({ description: 'false for your own ancestors (visible, but not in your scope)' }) inScope: boolean;
  @ApiProperty({ type: [OrgUnitSummary], description: 'From the top of the tree down to the parent' }) ancestors: OrgUnitSummary[];
  @ApiProperty() childCount: number;
}

@ApiTags('org-units')
@ApiBearerAuth()
@Controller('org-units')
export class OrgUnitsController {
  constructor(private readonly orgs: OrgUnitsService) {}

  @Get('tree')
  @ApiOperation({ summary: 'The org tree under a root in your scope (default: your own unit)' })
  @ApiOkResponse({ type: OrgUnitNodeView })
  tree(@CurrentUser() user: AuthUser, @Query() q: OrgTreeQuery) {
    return this.orgs.tree(user, q.root, q.depth);
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create an org unit one level below a parent in your scope (code format follows the parent; 409 if the code exists)' })
  @ApiOkResponse({ type: OrgUnitSummary })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateOrgUnitDto) {
    return this.orgs.create(user, dto);
  }

  @Put(':code')
  @Roles('admin')
  @ApiOperation({ summary: 'Rename, deactivate or reactivate an org unit in your scope; code, level and parent do not change' })
  @ApiOkResponse({ type: OrgUnitSummary })
  update(@CurrentUser() user: AuthUser, @Param('code') code: string, @Body() dto: UpdateOrgUnitDto) {
    return this.orgs.update(user, code, dto);
  }

  @Get(':code')
  @ApiOperation({ summary: 'One org unit on your path (your ancestors) or below, with its ancestors' })
  @ApiOkResponse({ type: OrgUnitDetailView })
  get(@CurrentUser() user: AuthUser, @Param('code') code: string) {
    return this.orgs.get(user, code);
  }
}
