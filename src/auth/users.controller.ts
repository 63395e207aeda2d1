import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from './auth-user';
import { CreateUserDto, ResetPasswordDto, StaffQuery, UpdateUserDto } from './users.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('staff')
  @Roles('village_caseworker', 'township_officer', 'county_officer', 'civil_affairs_officer', 'manager', 'admin')
  @ApiOperation({ summary: 'Active staff in my scope (to pick a reassignment target)' })
  staff(@CurrentUser() user: AuthUser, @Query() q: StaffQuery) {
    return this.users.list(user, q, true);
  }

  @Get('admin/users')
  @Roles('admin', 'manager')
  @ApiOperation({ summary: 'Staff accounts in my scope' })
  list(@CurrentUser() user: AuthUser, @Query() q: StaffQuery) {
    return this.users.list(user, q);
  }

  @Post('admin/users')
  @Roles('admin')
  @ApiOperation({ summary: 'Create a staff account in my scope (password policy enforced)' })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateUserDto) {
    return this.users.create(user, dto);
  }

  @Put('admin/users/:id')
  @Roles('admin')
  @ApiOperation({ summary: 'Change role, org unit, partner, status; such changes sign the user out' })
  update(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: UpdateUserDto) {
    return this.users.update(user, id, dto);
  }

  @Post('admin/users/:id/unlock')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Lift a lockout after repeated failed sign-ins' })
  unlock(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string) {
    return this.users.unlock(user, id);
  }

  @Post('admin/users/:id/password')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Set a new password for a user; their sessions end' })
  reset(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string, @Body() dto: ResetPasswordDto) {
    return this.users.resetPassword(user, id, dto.password);
  }
}
