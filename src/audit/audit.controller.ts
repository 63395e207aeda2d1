import { Controller, Get, Ip, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthUser, CurrentUser, Roles } from '../auth/auth-user';
import { AuditQueryService } from './audit-query.service';
import { AuditFilter, AuditQuery } from './audit.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('admin')
@Roles('admin')
export class AuditController {
  constructor(private readonly audit: AuditQueryService) {}

  @Get('audit')
  @ApiOperation({ summary: 'Audit log entries of my area, newest first (keyset paging); the query itself is audited' })
  list(@CurrentUser() user: AuthUser, @Query() q: AuditQuery, @Ip() ip: string) {
    return this.audit.query(user, q, ip ?? null);
  }

  @Get('audit.csv')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The same entries as CSV (UTF-8 with BOM, Chinese headers, chain hashes), oldest first, at most 100,000 rows (422 beyond); the export is audited' })
  async csv(@CurrentUser() user: AuthUser, @Query() q: AuditFilter, @Ip() ip: string, @Res() res: Response) {
    await this.audit.exportCsv(user, q, ip ?? null, {
      stream: res,
      start: (filename) => {
        res.status(200);
        res.setHeader('Content-Type', 'text/csv; charset=utf-8');
        res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
        res.setHeader('Cache-Control', 'no-store');
      },
    });
  }
}
