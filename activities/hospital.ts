import { DataSource } from 'typeorm';
import type { HospitalReservation, HospitalReservationResult } from './types';

/**
 * Checks the chosen hospital (active, agreement in force, offers the service, has a place)
 * and records the choice on the case, under a row lock on the partner so two cases cannot take
 * the last place. Idempotent: a case that already holds the partner gets ok again.
 */
export async function reserveHospital(ds: DataSource, r: HospitalReservation): Promise<HospitalReservationResult> {
  return ds.transaction(async (m) => {
    const rows: { name: string; status: string; services: string[]; capacity: number | null; in_force: boolean }[] = await m.query(
      `SELECT name, status, services, capacity,
              (agreement_start <= (now() AT TIME ZONE 'Asia/Shanghai')::date AND agreement_end >= (now() AT TIME ZONE 'Asia/Shanghai')::date) AS in_force
       FROM partner WHERE id = $1 FOR UPDATE`,
      [r.partnerId],
    );
    const p = rows[0];
    if (!p) return { ok: false, reason: '所选医院不存在 / unknown hospital' };
    const held: { n: string }[] = await m.query(`SELECT count(*) AS n FROM case_file WHERE id = $1 AND partner_id = $2`, [r.caseId, r.partnerId]);
    if (Number(held[0].n) > 0) return { ok: true, partnerName: p.name };
    if (p.status !== 'active') return { ok: false, reason: `${p.name} 已暂停合作 / suspended` };
    if (!p.in_force) return { ok: false, reason: `${p.name} 协议不在有效期内 / agreement not in force` };
    if (!p.services.includes(r.service)) return { ok: false, reason: `${p.name} 不提供该服务 / does not offer ${r.service}` };
    if (p.capacity !== null) {
      const used: { n: string }[] = await m.query(
        `SELECT count(*) AS n FROM case_file WHERE partner_id = $1 AND status = 'open'`,
        [r.partnerId],
      );
      if (Number(used[0].n) >= p.capacity) return { ok: false, reason: `${p.name} 名额已满 / no capacity left` };
    }
    await m.query(`UPDATE case_file SET partner_id = $2 WHERE id = $1`, [r.caseId, r.partnerId]);
    return { ok: true, partnerName: p.name };
  });
}
