import { DataSource } from 'typeorm';

/** Reference data every deployment needs; safe to run on every start (idempotent). */
export async function seedReference(_ds: DataSource): Promise<void> {
  // filled in by the case-engine work (programme defaults, calendar years)
}

/** Demo data for local trials: org tree, staff for every role, partners, people, cases. */
export async function seedDemo(_ds: DataSource): Promise<void> {
  // filled in by the case-engine work
}
