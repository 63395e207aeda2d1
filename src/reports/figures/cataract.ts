import type { ProgrammeFigures } from './types';

/**
 * Cataract (白内障复明 / 光明行) yearly figures, from the case data the workflow projects:
 * surgery {surgeryDate, eye, lensImplanted}, settlement {amount}, indicators {…} (2-week and
 * 3-month follow-ups), and the approval / settlement tasks' completion times.
 * Outcome rates are over the surgeries of the year that have the indicator (a surgery late in the
 * year gets its 3-month result early next year).
 */
export const cataractFigures: ProgrammeFigures = {
  programme: 'cataract',
  label: '白内障复明',
  labelEn: 'Cataract surgery',
  base: `
    SELECT c.id AS case_id, c.case_no, c.person_id, c.org_unit_code, c.status, c.outcome, c.opened_at, c.closed_at,
           (c.data->'surgery'->>'surgeryDate') AS surgery_date,
           (c.data->'surgery'->>'lensImplanted')::boolean AS lens_implanted,
           CASE WHEN jsonb_typeof(c.data->'settlement'->'amount') = 'number' THEN (c.data->'settlement'->>'amount')::numeric END AS settled_amount,
           (c.data->'indicators'->>'uncorrected03At2w')::boolean AS uncorrected03_2w,
           (c.data->'indicators'->>'corrected03At2w')::boolean AS corrected03_2w,
           (c.data->'indicators'->>'outOfBlindness')::boolean AS out_of_blindness,
           (c.data->'indicators'->>'outOfDisability')::boolean AS out_of_disability,
           ev.approved_at, ev.settled_at
    FROM case_file c
    LEFT JOIN (
      SELECT t.case_id,
             max(t.completed_at) FILTER (WHERE t.step = 'county_approval' AND t.decision = 'approve') AS approved_at,
             max(t.completed_at) FILTER (WHERE t.step = 'settlement' AND t.decision = 'submit') AS settled_at
      FROM task t
      WHERE t.programme = 'cataract' AND t.status = 'completed' AND t.step IN ('county_approval', 'settlement')
        AND t.completed_at >= $2 AND t.completed_at < $3
      GROUP BY t.case_id
    ) ev ON ev.case_id = c.id
    WHERE c.programme = 'cataract' AND c.org_path LIKE $1
      AND c.opened_at < $3 AND (c.closed_at IS NULL OR c.closed_at >= $2)`,
  figures: [
    { key: 'served', label: '登记服务人数', labelEn: 'People registered', unit: '人', kind: 'people', where: `b.opened_at >= $2 AND b.opened_at < $3`, date: 'b.opened_at', note: '当年登记立案的人数（按人去重）', noteEn: 'People whose case was registered in the year (each person once)' },
    { key: 'registered', label: '登记立案', labelEn: 'Cases registered', unit: '例', kind: 'cases', where: `b.opened_at >= $2 AND b.opened_at < $3`, date: 'b.opened_at' },
    { key: 'approved', label: '审批通过', labelEn: 'Approved', unit: '例', kind: 'cases', where: `b.approved_at IS NOT NULL`, date: 'b.approved_at', note: '当年县级审批通过的病例', noteEn: 'Cases approved by the county in the year' },
    { key: 'surgeries', label: '白内障复明手术', labelEn: 'Surgeries', unit: '例', kind: 'cases', where: `b.surgery_date >= $4::text AND b.surgery_date < $5::text`, date: 'b.surgery_date', note: '按手术日期计', noteEn: 'By date of surgery' },
    { key: 'completed', label: '办结', labelEn: 'Completed', unit: '例', kind: 'cases', where: `b.outcome = 'completed' AND b.closed_at >= $2 AND b.closed_at < $3`, date: 'b.closed_at' },
    { key: 'settled_cases', label: '结算病例', labelEn: 'Cases settled', unit: '例', kind: 'cases', where: `b.settled_at IS NOT NULL`, date: 'b.settled_at' },
    { key: 'settled_amount', label: '结算补助金额', labelEn: 'Amount settled', unit: '元', kind: 'sum', where: `b.settled_at IS NOT NULL`, amount: 'b.settled_amount', date: 'b.settled_at', note: '当年结算的项目补助（元）', noteEn: 'Programme subsidy settled in the year (yuan)' },
    { key: 'iol_rate', label: '人工晶体植入率', labelEn: 'IOL implantation rate', unit: '%', kind: 'rate', where: `b.surgery_date >= $4::text AND b.surgery_date < $5::text AND b.lens_implanted IS NOT NULL`, numerator: 'b.lens_implanted', date: 'b.surgery_date', note: '目标 ≥90%', noteEn: 'Target ≥90%' },
    { key: 'uncorrected_03_2w_rate', label: '术后两周裸眼视力≥0.3比例', labelEn: 'Uncorrected ≥0.3 at 2 weeks', unit: '%', kind: 'rate', where: `b.surgery_date >= $4::text AND b.surgery_date < $5::text AND b.uncorrected03_2w IS NOT NULL`, numerator: 'b.uncorrected03_2w', date: 'b.surgery_date', note: '目标 ≥80%', noteEn: 'Target ≥80%' },
    { key: 'corrected_03_2w_rate', label: '术后两周矫正视力≥0.3比例', labelEn: 'Corrected ≥0.3 at 2 weeks', unit: '%', kind: 'rate', where: `b.surgery_date >= $4::text AND b.surgery_date < $5::text AND b.corrected03_2w IS NOT NULL`, numerator: 'b.corrected03_2w', date: 'b.surgery_date', note: '目标 ≥90%', noteEn: 'Target ≥90%' },
    { key: 'out_of_blindness_rate', label: '脱盲率', labelEn: 'Out of blindness (corrected ≥0.05)', unit: '%', kind: 'rate', where: `b.surgery_date >= $4::text AND b.surgery_date < $5::text AND b.out_of_blindness IS NOT NULL`, numerator: 'b.out_of_blindness', date: 'b.surgery_date', note: '矫正视力≥0.05', noteEn: 'Corrected acuity ≥0.05' },
    { key: 'out_of_disability_rate', label: '脱残率', labelEn: 'Out of visual disability (corrected ≥0.3)', unit: '%', kind: 'rate', where: `b.surgery_date >= $4::text AND b.surgery_date < $5::text AND b.out_of_disability IS NOT NULL`, numerator: 'b.out_of_disability', date: 'b.surgery_date', note: '矫正视力≥0.3', noteEn: 'Corrected acuity ≥0.3' },
  ],
};
