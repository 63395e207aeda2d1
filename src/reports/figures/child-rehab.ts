import { REHAB_CATEGORIES, type RehabCategory } from '../../../workflows/contracts';
import type { FigureDefinition, ProgrammeFigures } from './types';

/**
 * Child rescue rehabilitation (0–6 岁残疾儿童康复救助) yearly figures, from what the case workflow
 * writes (activities/child-rehab.ts):
 *   rehab_agreement  one row per stay at a designated institution and service year (category, months,
 *                    end-of-period assessment `effective`); the service year is the calendar year the
 *                    child trains in (a continuing child gets next year's row on 1 January);
 *   payment          a bill (institution) or an out-of-area claim (family) once the county's settlement
 *                    check approved it; `created_at` is when it was recorded, right after that approval;
 *   task             county_review approvals (the first one of a case is the application's);
 *   case_file        outcome and closed_at when the case closes (aged_out, withdrawn, not_renewed, rejected).
 *
 * Year attribution: by the date of the event (application registered, first county approval,
 * rejection, payment recorded); stays and assessments by their service year, the year the training
 * took place, as /rehab/report counts them (a child has at most one assessed period a year, so
 * "assessed" counts children, not stays). A case that ends at a renewal (aged out, withdrawn, not
 * renewed) closes at the last instant of its service year, and the activities that free its place
 * can push closed_at a moment into 1 January: those count in their last service year (data.year).
 * Money is by the date it was settled, like the cataract settlement; /rehab/report sums the same
 * payments by the service year they belong to, so a December bill approved in January counts in
 * January here and in December there.
 */

/** Chinese names of the categories as annual summaries list them ("其中视力残疾儿童 N 名 …"). */
export const REHAB_CATEGORY_LABELS: Record<RehabCategory, { zh: string; en: string }> = {
  vision: { zh: '视力残疾儿童', en: 'vision' },
  hearing: { zh: '听力残疾儿童', en: 'hearing' },
  speech: { zh: '言语残疾儿童', en: 'speech' },
  limb: { zh: '肢体残疾儿童（含脑瘫）', en: 'limb (incl. cerebral palsy)' },
  intellectual: { zh: '智力残疾儿童', en: 'intellectual' },
  autism: { zh: '孤独症儿童', en: 'autism' },
};

const IN_YEAR = (col: string) => `${col} >= $2 AND ${col} < $3`;
/** The report's year as the integer service year. */
const YEAR = `left($4::text, 4)::int`;
const SERVED = `b.stay_started_at IS NOT NULL`;
const ASSESSED = `${SERVED} AND b.assessed`;

const byCategory: FigureDefinition[] = REHAB_CATEGORIES.map((cat) => ({
  key: `served_${cat}`,
  label: `其中：${REHAB_CATEGORY_LABELS[cat].zh}`,
  labelEn: `of which: ${REHAB_CATEGORY_LABELS[cat].en}`,
  unit: '人',
  kind: 'people',
  where: `${SERVED} AND b.category = '${cat}'`,
  date: 'b.stay_started_at',
  note: `救助康复儿童中康复类别为${REHAB_CATEGORY_LABELS[cat].zh.replace(/儿童.*$/, '')}的人数（按服务协议登记的类别；各类别之和等于救助康复儿童）`,
  noteEn: `Children in rehabilitation whose category is ${REHAB_CATEGORY_LABELS[cat].en} (the category of the service agreement; the categories add up to the children in rehabilitation)`,
}));

export const childRehabFigures: ProgrammeFigures = {
  programme: 'child_rehab',
  label: '残疾儿童康复救助',
  labelEn: 'Child rehabilitation',
  base: `
    SELECT c.id AS case_id, c.case_no, c.person_id, c.org_unit_code, c.status, c.outcome, c.opened_at, c.closed_at,
           CASE WHEN jsonb_typeof(c.data->'year') = 'number' THEN (c.data->>'year')::int END AS service_year,
           ag.category, ag.stay_started_at, ag.assessed, ag.effective,
           pay.institution_amount, pay.institution_paid_at, pay.family_amount, pay.family_paid_at, pay.total_amount, pay.paid_at,
           ap.approved_at
    FROM case_file c
    LEFT JOIN LATERAL (
      SELECT min(a.category) AS category, min(a.started_at) AS stay_started_at,
             count(a.effective) > 0 AS assessed, bool_or(a.effective) AS effective
      FROM rehab_agreement a
      WHERE a.case_id = c.id AND a.year = ${YEAR}
    ) ag ON true
    LEFT JOIN LATERAL (
      SELECT sum(p.amount) FILTER (WHERE p.payee_kind = 'institution') AS institution_amount,
             max(p.created_at) FILTER (WHERE p.payee_kind = 'institution') AS institution_paid_at,
             sum(p.amount) FILTER (WHERE p.payee_kind = 'family') AS family_amount,
             max(p.created_at) FILTER (WHERE p.payee_kind = 'family') AS family_paid_at,
             sum(p.amount) AS total_amount, max(p.created_at) AS paid_at
      FROM payment p
      WHERE p.case_id = c.id AND p.programme = 'child_rehab' AND p.created_at >= $2 AND p.created_at < $3
    ) pay ON true
    LEFT JOIN LATERAL (
      SELECT min(t.completed_at) AS approved_at
      FROM task t
      WHERE t.case_id = c.id AND t.step = 'county_review' AND t.status = 'completed' AND t.decision = 'approve'
    ) ap ON true
    WHERE c.programme = 'child_rehab' AND c.org_path LIKE $1
      AND c.opened_at < $3 AND (c.closed_at IS NULL OR c.closed_at >= $2)`,
  figures: [
    { key: 'registered', label: '受理救助申请', labelEn: 'Applications registered', unit: '例', kind: 'cases', where: IN_YEAR('b.opened_at'), date: 'b.opened_at', note: '按申请登记日期计', noteEn: 'By date the application was registered' },
    {
      key: 'approved', label: '审核通过', labelEn: 'Applications approved', unit: '例', kind: 'cases', where: IN_YEAR('b.approved_at'), date: 'b.approved_at',
      note: '按县残联首次审核通过日期计（新申请；转换机构和续期的复核不重复计）', noteEn: "By date of the county's first approval (new applications; re-approvals for a change of institution or a renewal are not counted again)",
    },
    { key: 'rejected', label: '审核未通过', labelEn: 'Applications rejected', unit: '例', kind: 'cases', where: `b.outcome = 'rejected' AND ${IN_YEAR('b.closed_at')}`, date: 'b.closed_at', note: '按结案日期计', noteEn: 'By date the case was closed' },
    {
      key: 'served', label: '救助康复儿童', labelEn: 'Children in rehabilitation', unit: '人', kind: 'people', where: SERVED, date: 'b.stay_started_at',
      note: '当年在定点康复机构有服务协议（接受康复训练）的儿童，按人去重；按康复服务年度计，含上年延续的儿童；仅在候补名单的不计', noteEn: 'Children with a service agreement at a designated institution (in training) in the year, each child once; by service year, including children continuing from last year; children only on a waiting list are not counted',
    },
    ...byCategory,
    {
      key: 'assessed', label: '完成期末评估', labelEn: 'Periods assessed', unit: '人', kind: 'people', where: ASSESSED, date: 'b.stay_started_at',
      note: '当年康复训练期满、机构完成期末评估的儿童（每名儿童每年至多一次）；按康复服务年度计', noteEn: "Children whose training period ended with the institution's end assessment (at most once per child and year); by service year",
    },
    {
      key: 'effective_rate', label: '康复训练有效率', labelEn: 'Effective rate', unit: '%', kind: 'rate', where: ASSESSED, numerator: 'b.effective', date: 'b.stay_started_at',
      note: '期末评估为「有效」的人数 ÷ 完成期末评估的人数；按康复服务年度计', noteEn: 'Children assessed as effective ÷ children assessed; by service year',
    },
    {
      key: 'settled_institution', label: '结算定点机构康复费用', labelEn: 'Settled to institutions', unit: '元', kind: 'sum', where: 'b.institution_amount IS NOT NULL',
      amount: 'b.institution_amount', date: 'b.institution_paid_at', note: '县残联审核通过的机构账单（训练费、辅具、手术等），按结算审核日期计（元）', noteEn: 'Institution bills approved by the county (training, aids, surgery, …), by date of the settlement check (yuan)',
    },
    {
      key: 'reimbursed_family', label: '报销家庭康复费用', labelEn: 'Reimbursed to families', unit: '元', kind: 'sum', where: 'b.family_amount IS NOT NULL',
      amount: 'b.family_amount', date: 'b.family_paid_at', note: '异地康复由家庭垫付、按户籍地标准报销的金额，按结算审核日期计（元）', noteEn: "Out-of-area rehabilitation paid by the family and reimbursed at the home area's rate, by date of the settlement check (yuan)",
    },
    {
      key: 'funds_total', label: '康复救助资金合计', labelEn: 'Total funds paid', unit: '元', kind: 'sum', where: 'b.total_amount IS NOT NULL',
      amount: 'b.total_amount', date: 'b.paid_at', note: '结算机构与报销家庭之和，按结算审核日期计（元）', noteEn: 'Settled to institutions plus reimbursed to families, by date of the settlement check (yuan)',
    },
    {
      key: 'aged_out', label: '超龄退出（救助期满）', labelEn: 'Aged out (completed)', unit: '例', kind: 'cases', where: `b.outcome = 'aged_out' AND b.service_year = ${YEAR}`,
      date: 'b.closed_at', note: '达到救助年龄上限而结案的儿童，按最后一个康复服务年度计（此类个案在服务年度最后一刻结案）', noteEn: 'Children whose case closed on reaching the age limit, counted in their last service year (such cases close at the very end of the service year)',
    },
    {
      key: 'exited', label: '中途退出（放弃或未续期）', labelEn: 'Left (withdrawn or not renewed)', unit: '例', kind: 'cases',
      where: `b.outcome IN ('withdrawn', 'not_renewed') AND b.service_year = ${YEAR}`, date: 'b.closed_at',
      note: '家庭放弃续期或县残联未批准续期而结案，按最后一个康复服务年度计（此类个案在服务年度最后一刻结案）', noteEn: 'Cases closed because the family declined the renewal or the county did not approve it, counted in the last service year (such cases close at the very end of the service year)',
    },
  ],
};
