import { COHORT } from '../../training/training-read';
import type { FigureDefinition, ProgrammeFigures } from './types';

/**
 * Vocational training → placement (培训就业) yearly figures, from what the case workflow writes
 * (activities/training.ts):
 *   course_enrolment  one row per case: enrolled_at (took a place), status and ended_at (completed,
 *                     dropped, incomplete), passed and certificate_no (the institution's assessment);
 *   job_placement     one row per placement: channel, start_date, status (stable once the 12-month
 *                     follow-up confirms continuous employment; the case then closes as stable_employment);
 *   task              county_approval (approve) and assessment completion times.
 *
 * Year attribution: by the date of the event (enrolled_at, the end of training, the assessment,
 * the placement's start date, the 12-month confirmation). /training/report instead counts the
 * cohort of the courses of a plan year (course.year) whatever the dates of the events, so the two
 * agree for a course that runs and places its trainees within its plan year.
 */

export const CHANNEL_LABELS: Record<string, { zh: string; en: string }> = {
  quota_employer: { zh: '按比例安排就业', en: 'quota employer' },
  public_welfare: { zh: '公益性岗位', en: 'public-welfare post' },
  self_employment: { zh: '自主创业（自谋职业）', en: 'self-employment' },
};

const IN_YEAR = (col: string) => `${col} >= $2 AND ${col} < $3`;
/** A date kept as 'YYYY-MM-DD' text (no time-zone conversion in the driver). */
const ON_DAY_IN_YEAR = (col: string) => `${col} >= $4::text AND ${col} < $5::text`;
const TRAINED = `b.enrol_status = 'completed' AND ${IN_YEAR('b.training_ended_at')}`;
const EMPLOYED = ON_DAY_IN_YEAR('b.placed_on');

const byChannel: FigureDefinition[] = Object.entries(CHANNEL_LABELS).map(([channel, l]) => ({
  key: `employed_${channel}`,
  label: `其中：${l.zh}`,
  labelEn: `of which: ${l.en}`,
  unit: '人',
  kind: 'people',
  where: `${EMPLOYED} AND b.placed_channel = '${channel}'`,
  date: 'b.placed_on',
  note: `新增就业中渠道为${l.zh}的人数（同年多次安置按最后一次；各渠道之和等于新增就业人数）`,
  noteEn: `Trainees employed through ${l.en} (the last placement of the year; the channels add up to those employed)`,
}));

export const trainingFigures: ProgrammeFigures = {
  programme: 'training',
  label: '职业培训与就业',
  labelEn: 'Vocational training and placement',
  base: `
    SELECT c.id AS case_id, c.case_no, c.person_id, c.org_unit_code, c.status, c.outcome, c.opened_at, c.closed_at,
           e.status AS enrol_status, e.enrolled_at, e.ended_at AS training_ended_at, e.passed, e.certificate_no,
           ev.approved_at, ev.assessed_at,
           py.placed_on, py.placed_channel, py.support_amount,
           EXISTS (SELECT 1 FROM job_placement x WHERE x.case_id = c.id) AS ever_employed,
           EXISTS (SELECT 1 FROM job_placement x WHERE x.case_id = c.id AND x.status = 'stable') AS stable
    FROM case_file c
    LEFT JOIN course_enrolment e ON e.case_id = c.id
    LEFT JOIN LATERAL (
      SELECT min(t.completed_at) FILTER (WHERE t.step = 'county_approval' AND t.decision = 'approve') AS approved_at,
             max(t.completed_at) FILTER (WHERE t.step = 'assessment') AS assessed_at
      FROM task t
      WHERE t.case_id = c.id AND t.status = 'completed' AND t.step IN ('county_approval', 'assessment')
    ) ev ON true
    LEFT JOIN LATERAL (
      SELECT to_char(max(pl.start_date), 'YYYY-MM-DD') AS placed_on,
             (array_agg(pl.channel ORDER BY pl.start_date DESC, pl.id DESC))[1] AS placed_channel,
             sum(pl.support_amount) FILTER (WHERE pl.channel = 'self_employment') AS support_amount
      FROM job_placement pl
      WHERE pl.case_id = c.id AND pl.start_date >= $4::date AND pl.start_date < $5::date
    ) py ON true
    WHERE c.programme = 'training' AND c.org_path LIKE $1
      AND c.opened_at < $3 AND (c.closed_at IS NULL OR c.closed_at >= $2)`,
  figures: [
    { key: 'registered', label: '报名登记', labelEn: 'Applications registered', unit: '例', kind: 'cases', where: IN_YEAR('b.opened_at'), date: 'b.opened_at', note: '按报名登记日期计', noteEn: 'By date the application was registered' },
    { key: 'approved', label: '审核通过', labelEn: 'Approved', unit: '例', kind: 'cases', where: IN_YEAR('b.approved_at'), date: 'b.approved_at', note: '按县残联审核通过日期计', noteEn: "By date of the county's approval" },
    {
      key: 'enrolled', label: '入班培训', labelEn: 'Enrolled', unit: '人', kind: 'people', where: `b.enrol_status IN ${COHORT} AND ${IN_YEAR('b.enrolled_at')}`, date: 'b.enrolled_at',
      note: '获得培训班名额的学员（含其后退学、未结业的），按入班日期计，按人去重；候补未入班的不计', noteEn: 'Trainees given a place on a course (including those who later dropped out or did not finish), by enrolment date, each person once; waiting-list trainees never enrolled are not counted',
    },
    { key: 'trained', label: '培训结业', labelEn: 'Trained (completed the course)', unit: '人', kind: 'people', where: TRAINED, date: 'b.training_ended_at', note: '出勤达到规定学时、完成培训的学员，按结业日期计', noteEn: 'Trainees who attended the required hours and completed the course, by course end date' },
    {
      key: 'dropped_out', label: '中途退学或未达学时', labelEn: 'Dropped out or short of hours', unit: '人', kind: 'people',
      where: `b.enrol_status IN ('dropped', 'incomplete') AND ${IN_YEAR('b.training_ended_at')}`, date: 'b.training_ended_at', note: '按离班日期计', noteEn: 'By date the trainee left the course',
    },
    {
      key: 'certified', label: '取得职业技能证书', labelEn: 'Certified', unit: '人', kind: 'people', where: `b.certificate_no IS NOT NULL AND ${IN_YEAR('b.assessed_at')}`,
      date: 'b.assessed_at', note: '考核合格并取得证书的学员，按机构登记考核结果的日期计', noteEn: 'Trainees who passed the assessment and received a certificate, by the date the institution recorded the result',
    },
    {
      key: 'employed', label: '实现就业', labelEn: 'Employed', unit: '人', kind: 'people', where: EMPLOYED, date: 'b.placed_on',
      note: '当年开始就业（按比例就业、公益性岗位、自主创业）的学员，按就业开始日期计，按人去重；同年再次安置不重复计', noteEn: 'Trainees who started work in the year (quota employer, public-welfare post, self-employment), by start date, each person once; a second placement in the same year is not counted again',
    },
    ...byChannel,
    {
      key: 'self_employment_support', label: '自主创业扶持资金', labelEn: 'Self-employment support', unit: '元', kind: 'sum',
      where: `${EMPLOYED} AND b.support_amount IS NOT NULL`, amount: 'b.support_amount', date: 'b.placed_on', note: '安置时登记的创业扶持金额，按创业开始日期计（元）', noteEn: "Self-employment support recorded at placement, by the business's start date (yuan)",
    },
    {
      key: 'retained_12m', label: '稳定就业满12个月', labelEn: 'Retained at 12 months', unit: '人', kind: 'people',
      where: `b.stable AND ${IN_YEAR('b.closed_at')}`, date: 'b.closed_at', note: '12个月回访确认连续就业（稳定就业）的学员，按确认日期（结案日期）计', noteEn: 'Trainees confirmed in continuous work at the 12-month visit (stable employment), by date of confirmation (case closed)',
    },
    {
      key: 'employment_rate', label: '培训后就业率', labelEn: 'Employment rate after training', unit: '%', kind: 'rate', where: TRAINED, numerator: 'b.ever_employed',
      date: 'b.training_ended_at', note: '当年结业学员中已实现就业（任一渠道，截至报表生成时）的人数 ÷ 当年结业人数', noteEn: "Trainees of the year's courses in work (any channel, as of the report) ÷ trainees who completed a course in the year",
    },
  ],
};
