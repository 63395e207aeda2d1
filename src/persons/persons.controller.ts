import { AuditRead } from '../audit/audit.interceptor';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { ListPersonsQuery, PersonDetail, PersonPage, RegisterPersonDto, UpdatePersonDto } from './persons.dto';
import { PersonsService } from './persons.service';

@ApiTags('persons')
@ApiBearerAuth()
@Controller('persons')
export class PersonsController {
  constructor(private readonly persons: PersonsService) {}

  @Post()
  @Roles('village_caseworker', 'township_officer', 'county_officer', 'admin')
  @ApiOperation({
    summary: 'Register a resident (hukou village in your scope)',
    description:
      '422 with the validator code (ID_FORMAT, ID_CHECKSUM, ID_REGION, ID_BIRTHDATE, CERT_FORMAT, CERT_ID, CERT_CATEGORY, CERT_GRADE, CERT_MISMATCH, ORG_UNKNOWN, ORG_LEVEL); ' +
      '403 if the village is outside your scope; 409 PERSON_EXISTS if the resident ID is already registered. Sex and birth date come from the ID.',
  })
  @ApiCreatedResponse({ type: PersonDetail })
  register(@CurrentUser() user: AuthUser, @Body() dto: RegisterPersonDto) {
    return this.persons.register(user, dto);
  }

  @Get()
  @ApiOperation({
    summary: 'Residents in your scope, by name (keyset pages); resident IDs masked',
    description: 'Partner staff see only people on cases referred to their partner.',
  })
  @ApiOkResponse({ type: PersonPage })
  list(@CurrentUser() user: AuthUser, @Query() q: ListPersonsQuery) {
    return this.persons.list(user, q);
  }

  @Get(':id')
  @AuditRead('person')
  @ApiOperation({
    summary: 'One resident (404 if unknown or outside your scope)',
    description: 'The resident ID and certificate number are shown in full to county officers and admins only.',
  })
  @ApiOkResponse({ type: PersonDetail })
  get(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.persons.get(user, id);
  }

  @Put(':id')
  @Roles('village_caseworker', 'township_officer', 'county_officer', 'admin')
  @ApiOperation({
    summary: 'Change a resident after registration: phone, guardian, certificate, category/grade, hardship, residence village',
    description:
      'Fields left out stay; null clears. 404 if unknown or outside your scope (hukou or residence area); ' +
      '400 IMMUTABLE_FIELD for residentId, birthDate, sex, name, hukouOrgCode; 422 with the validator code for a bad certificate ' +
      '(CERT_FORMAT, CERT_ID, CERT_MISMATCH, …; CERT_CLASS_MISMATCH when category/grade disagree with the certificate) or residence village (ORG_UNKNOWN, ORG_LEVEL); 403 if neither the hukou nor the new residence village is in your scope. Nothing is written on a refusal.',
  })
  @ApiOkResponse({ type: PersonDetail })
  update(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: UpdatePersonDto) {
    return this.persons.update(user, id, dto);
  }
}
