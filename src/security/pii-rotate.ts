import type { DataSource } from 'typeorm';
import { encryptPersonPii, PiiCipher } from './pii-crypto';

export interface RotationResult {
  rotated: number;
  /** Rows per key id still not under the current key (empty when done). */
  remaining: Record<string, number>;
}

/**
 * Re-encrypts person rows written under an older key with the current (first) key of
 * PII_ENCRYPTION_KEY and recomputes their blind index, `batch` rows per transaction (rows locked
 * while rewritten, so a concurrent edit waits). Idempotent and resumable: it only touches rows
 * whose pii_key_id is not the current key. Once nothing remains, the old key can be removed.
 */
export async function rotatePersonPii(ds: DataSource, cipher: PiiCipher, batch = 500): Promise<RotationResult> {
  let rotated = 0;
  for (;;) {
    const n = await ds.transaction(async (m) => {
      const rows: { id: string; resident_id_enc: Buffer; disability_cert_no_enc: Buffer | null; pii_key_id: string }[] = await m.query(
        `SELECT id, resident_id_enc, disability_cert_no_enc, pii_key_id FROM person WHERE pii_key_id <> $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [cipher.currentKeyId, batch],
      );
      if (!rows.length) return 0;
      const cols = rows.map((r) =>
        encryptPersonPii(
          cipher,
          cipher.decrypt('person.resident_id', r.pii_key_id, r.resident_id_enc),
          r.disability_cert_no_enc ? cipher.decrypt('person.disability_cert_no', r.pii_key_id, r.disability_cert_no_enc) : null,
        ),
      );
      await m.query(
        `UPDATE person p SET resident_id_enc = x.enc, resident_id_bidx = x.bidx, disability_cert_no_enc = x.cert, pii_key_id = $5
         FROM unnest($1::uuid[], $2::bytea[], $3::bytea[], $4::bytea[]) AS x(id, enc, bidx, cert) WHERE p.id = x.id`,
        [rows.map((r) => r.id), cols.map((c) => c.resident_id_enc), cols.map((c) => c.resident_id_bidx), cols.map((c) => c.disability_cert_no_enc), cipher.currentKeyId],
      );
      return rows.length;
    });
    if (!n) break;
    rotated += n;
  }
  const left: { pii_key_id: string; n: number }[] = await ds.query(
    `SELECT pii_key_id, count(*)::int AS n FROM person WHERE pii_key_id <> $1 GROUP BY pii_key_id ORDER BY pii_key_id`,
    [cipher.currentKeyId],
  );
  return { rotated, remaining: Object.fromEntries(left.map((r) => [r.pii_key_id, r.n])) };
}
