import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { notFound } from '../common/domain-error';
import { APP_CONFIG, AppConfig } from '../config/config';
import { AuthUser, CurrentUser, Roles } from './auth-user';

class BreakGlassDto {
  @ApiProperty({ description: 'why you need this case (at least 10 characters); shown to managers and audited' })
  @IsString() @MinLength(10) @MaxLength(500) reason: string;
}
class GrantsQuery {
  @ApiPropertyOptional({ enum: ['active', 'all'], default: 'active' }) @IsOptional() @IsIn(['active', 'all']) status?: string;
}

/**
 * Break-glass: open one case outside your scope with a written reason (e.g. a resident moved and
 * the new village must see the history). Access lasts BREAK_GLASS_HOURS, every grant and every
 * read is audited, and managers see the grants over their area.
 */
@ApiTags('break-glass')
@ApiBearerAuth()
@Controller()
export class BreakGlassController {
  constructor(private readonly ds: DataSource, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Post('cases/:caseId/break-glass')
  @Roles('village_caseworker', 'township_officer', 'county_officer', 'civil_affairs_officer', 'manager', 'admin')
  @ApiOperation({ summary: 'Temporary access to an out-of-scope case, with a written reason' })
  async open(@CurrentUser() user: AuthUser, @Param('caseId', new ParseUUIDPipe()) caseId: string, @Body() dto: BreakGlassDto) {
    const exists = await this.ds.query(`SELECT 1 FROM case_file WHERE id = $1`, [caseId]);
    if (!exists.length) throw notFound('case');
    const [g] = await this.ds.query(
      `INSERT INTO break_glass_grant (user_id, case_id, reason, expires_at) VALUES ($1,$2,$3, now() + make_interval(hours => $4))
       RETURNING id, expires_at AS "expiresAt"`,
      [user.id, caseId, dto.reason.trim(), this.config.BREAK_GLASS_HOURS],
    );
    return { grantId: g.id, caseId, expiresAt: g.expiresAt };
  }

  @Get('break-glass')
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Break-glass grants on cases in my area (who, which case, why, until when)' })
  list(@CurrentUser() user: AuthUser, @Query() q: GrantsQuery) {
    return this.ds.query(
      `SELECT g.id, g.case_id AS "caseId", c.case_no AS "caseNo", g.user_id AS "userId", s.display_name AS "userName", s.role,
              g.reason, g.created_at AS "createdAt", g.expires_at AS "expiresAt", g.expires_at > now() AS active
       FROM break_glass_grant g JOIN case_file c ON c.id = g.case_id JOIN staff_user s ON s.id = g.user_id
       WHERE c.org_path LIKE $1 ${q.status === 'all' ? '' : 'AND g.expires_at > now()'}
       ORDER BY g.created_at DESC LIMIT 500`,
      [`${user.orgPath}%`],
    );
  }
}
