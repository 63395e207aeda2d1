import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { appendAudit, AuditEntry } from './audit-chain';

/** Writes audit entries. An audit write failure is logged loudly but never hides the original outcome. */
@Injectable()
export class AuditService {
  private readonly log = new Logger('audit');
  constructor(private readonly ds: DataSource) {}

  async record(e: AuditEntry): Promise<void> {
    try {
      await appendAudit(this.ds, e);
    } catch (err) {
      this.log.error(`could not write audit entry ${e.action}: ${err instanceof Error ? err.message : err}`);
    }
  }
}
