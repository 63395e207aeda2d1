import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { CreatePartnerDto, ListPartnersQuery, PartnerList, PartnerView, UpdatePartnerDto } from './partners.dto';
import { PartnersService } from './partners.service';

@ApiTags('partners')
@ApiBearerAuth()
@Controller('partners')
export class PartnersController {
  constructor(private readonly partners: PartnersService) {}

  @Get()
  @ApiOperation({
    summary: 'Partners whose org unit is on your path or below (e.g. your county’s hospitals), with places available',
    description: 'Partner staff see only their own partner.',
  })
  @ApiOkResponse({ type: PartnerList })
  list(@CurrentUser() user: AuthUser, @Query() q: ListPartnersQuery) {
    return this.partners.list(user, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One partner (404 if unknown or not visible to you)' })
  @ApiOkResponse({ type: PartnerView })
  get(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.partners.get(user, id);
  }

  @Post()
  @Roles('admin', 'county_officer')
  @ApiOperation({ summary: 'Sign a partner agreement (org unit: a city or county in your scope)' })
  @ApiCreatedResponse({ type: PartnerView })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreatePartnerDto) {
    return this.partners.create(user, dto);
  }

  @Put(':id')
  @Roles('admin', 'county_officer')
  @ApiOperation({ summary: 'Change an agreement: suspend/reactivate, capacity, dates, services' })
  @ApiOkResponse({ type: PartnerView })
  update(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: UpdatePartnerDto) {
    return this.partners.update(user, id, dto);
  }
}
