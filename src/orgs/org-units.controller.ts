import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { AuthUser, CurrentUser } from '../auth/auth-user';
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

class OrgUnitSummary {
  @ApiProperty({ example: '360121' }) code: string;
  @ApiProperty({ example: '南昌县' }) name: string;
  @ApiProperty({ type: String, nullable: true }) nameEn: string | null;
  @ApiProperty({ enum: ORG_LEVELS }) level: string;
  @ApiProperty({ type: String, nullable: true }) parentCode: string | null;
  @ApiProperty({ example: '/360100/360121/' }) path: string;
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

  @Get(':code')
  @ApiOperation({ summary: 'One org unit on your path (your ancestors) or below, with its ancestors' })
  @ApiOkResponse({ type: OrgUnitDetailView })
  get(@CurrentUser() user: AuthUser, @Param('code') code: string) {
    return this.orgs.get(user, code);
  }
}
