import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, Matches } from 'class-validator';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { IsIsoDate } from '../calendar/iso-date';
import { ProgrammeConfigService } from './programme-config.service';

/** Programme ids are short so the version "<programme>@<org>@<date>" fits the 40-character rule_version of cases. */
const PROGRAMME_ID = /^[a-z][a-z0-9_]{1,15}$/;
const PROGRAMME_MSG = 'programme 须为2至16位小写字母、数字或下划线，如 cataract / programme must be 2-16 lower-case letters, digits or _, e.g. cataract';

export class ListProgrammeConfigsQuery {
  @ApiPropertyOptional({ example: 'cataract' })
  @IsOptional() @IsString() @Matches(PROGRAMME_ID, { message: PROGRAMME_MSG })
  programme?: string;
}

export class CreateProgrammeConfigDto {
  @ApiProperty({ example: 'cataract' })
  @IsString() @Matches(PROGRAMME_ID, { message: PROGRAMME_MSG })
  programme: string;

  @ApiProperty({ description: 'Jurisdiction: a city or county in your scope', example: '360121' })
  @IsString() @Matches(/^\d{6,12}$/, { message: 'orgUnitCode 须为6至12位数字 / orgUnitCode must be 6-12 digits' })
  orgUnitCode: string;

  @ApiProperty({ description: 'First day the version applies to new cases (today or later, Asia/Shanghai)', example: '2027-01-01' })
  @IsIsoDate()
  effectiveFrom: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'steps: {<stepId>: {workingDays: int 0-365, remindBefore?: int[]}}; followUps?: [{step, dueAfterDays, windowFromDays?, mode: visit|phone}]; amounts?: {<name>: number}; rules?: object',
    example: {
      steps: { screening: { workingDays: 10, remindBefore: [1] }, county_approval: { workingDays: 8, remindBefore: [2, 1] } },
      followUps: [{ step: 'followup_2w', dueAfterDays: 14, mode: 'visit' }],
      amounts: { settlementMin: 1400, settlementMax: 2050 },
      rules: { oneEyePerYear: true },
    },
  })
  @IsObject({ message: 'settings 须为对象 / settings must be an object' })
  settings: Record<string, unknown>;
}

export class ProgrammeConfigView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() programme: string;
  @ApiProperty() orgUnitCode: string;
  @ApiProperty() orgUnitName: string;
  @ApiProperty() effectiveFrom: string;
  @ApiProperty({ example: 'cataract@360121@2027-01-01' }) version: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) settings: Record<string, unknown>;
  @ApiProperty({ type: String, nullable: true }) createdBy: string | null;
  @ApiProperty() createdAt: string;
}

export class ProgrammeConfigList {
  @ApiProperty({ type: [ProgrammeConfigView] }) items: ProgrammeConfigView[];
}

@ApiTags('admin: programme configs')
@ApiBearerAuth()
@Roles('admin', 'manager')
@Controller('admin/programme-configs')
export class ProgrammeConfigController {
  constructor(private readonly configs: ProgrammeConfigService) {}

  @Get()
  @ApiOperation({ summary: 'Settings versions of the jurisdictions on your path (those that apply to you) and below' })
  @ApiOkResponse({ type: ProgrammeConfigList })
  list(@CurrentUser() user: AuthUser, @Query() q: ListProgrammeConfigsQuery) {
    return this.configs.list(user, q.programme);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One settings version' })
  @ApiOkResponse({ type: ProgrammeConfigView })
  get(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.configs.get(user, id);
  }

  @Post()
  @ApiOperation({
    summary: 'Create a new settings version (never edits one: open cases keep the version they started with)',
    description: '400 malformed request; 422 SETTINGS_INVALID (details list each problem), EFFECTIVE_IN_PAST, ORG_UNKNOWN, ORG_LEVEL; 403 org unit outside your scope; 409 CONFIG_EXISTS.',
  })
  @ApiCreatedResponse({ type: ProgrammeConfigView })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateProgrammeConfigDto) {
    return this.configs.create(user, dto);
  }
}
