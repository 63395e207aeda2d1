/**
 * Training enrolment eligibility as pure, versioned rules (PROGRAMMES.md §3): the api's pre-check
 * explains each one to the recruiter and the same function decides at registration. Inputs are
 * facts gathered by the caller (no I/O here); every refusal names its rule, this version and why.
 */
import type { RuleResult } from '../cataract/eligibility';
import { EDUCATION, type Education, type TrainingRules } from './steps';

export const TRAINING_RULES_VERSION = 'training-eligibility@2026-01';

const EDUCATION_ZH: Record<Education, string> = {
  none: '未上学',
  primary: '小学',
  junior_secondary: '初中',
  senior_secondary: '高中',
  vocational: '中专/职高',
  college: '大专',
  bachelor: '本科',
  postgraduate: '研究生',
};

export interface TrainingCourseFacts {
  id: string;
  name: string;
  status: string;
  places: number;
  /** Trainees holding a place now. */
  taken: number;
  waiting: number;
  startDate: string;
  endDate: string;
}

export interface TrainingFacts {
  today: string;
  age: number;
  sex: 'M' | 'F';
  hasCertificate: boolean;
  disabilityCategory: number | null;
  disabilityGrade: number | null;
  /** details.education (undefined when not given). */
  education?: unknown;
  /** details.selfCare (undefined when not given). */
  selfCare?: unknown;
  openTrainingCases: number;
  /** The course asked for (details.courseId) if it exists in the person's county, else null. */
  course: TrainingCourseFacts | null;
  /** Why the course is missing (no courseId, unknown, other county). */
  courseProblem?: { zh: string; en: string };
  rules: Pick<TrainingRules, 'minAge' | 'maxAgeWomen' | 'maxAgeMen' | 'minEducation' | 'requireSelfCare' | 'excludeSevereIntellectualPsychiatric'>;
}

export function checkTrainingEligibility(f: TrainingFacts): { eligible: boolean; rules: RuleResult[]; priority: number; waitlisted: boolean } {
  const r = (rule: string, ok: boolean, message: string, messageEn: string): RuleResult => ({ rule, version: TRAINING_RULES_VERSION, ok, message, messageEn });
  const R = f.rules;
  const maxAge = f.sex === 'F' ? R.maxAgeWomen : R.maxAgeMen;
  const sexZh = f.sex === 'F' ? '女性' : '男性';
  const ageOk = f.age >= R.minAge && f.age <= maxAge;
  const edu = EDUCATION.includes(f.education as Education) ? (f.education as Education) : null;
  const eduOk = edu !== null && EDUCATION.indexOf(edu) >= EDUCATION.indexOf(R.minEducation);
  const severe = (f.disabilityCategory === 5 || f.disabilityCategory === 6) && (f.disabilityGrade === 1 || f.disabilityGrade === 2);
  const c = f.course;
  const courseOk = !!c && c.status === 'open';
  const waitlisted = !!c && c.taken >= c.places;

  const rules = [
    r('no_open_case', f.openTrainingCases === 0,
      f.openTrainingCases === 0 ? '无在办的培训就业个案' : '该人员已有在办的培训就业个案，结案后才能再报名',
      f.openTrainingCases === 0 ? 'no open training case' : 'this person already has an open training case'),
    r('certificate', f.hasCertificate,
      f.hasCertificate ? '持有残疾人证' : '未持有残疾人证：培训对象须为持证残疾人',
      f.hasCertificate ? 'holds a disability certificate' : 'no disability certificate: trainees must be certificate holders'),
    r('working_age', ageOk,
      ageOk ? `${sexZh} ${f.age} 岁，在 ${R.minAge}–${maxAge} 岁劳动年龄内` : `${sexZh} ${f.age} 岁，不在 ${R.minAge}–${maxAge} 岁劳动年龄内`,
      ageOk ? `age ${f.age} is within working age ${R.minAge}-${maxAge}` : `age ${f.age} is outside working age ${R.minAge}-${maxAge} (${f.sex === 'F' ? 'women' : 'men'})`),
    r('education', eduOk,
      edu === null ? '请填写文化程度（details.education）' : eduOk ? `文化程度${EDUCATION_ZH[edu]}，达到${EDUCATION_ZH[R.minEducation]}及以上` : `文化程度${EDUCATION_ZH[edu]}，未达到${EDUCATION_ZH[R.minEducation]}及以上`,
      edu === null ? `education is required (details.education: ${EDUCATION.join(', ')})` : eduOk ? `education ${edu} meets ${R.minEducation} or above` : `education ${edu} is below ${R.minEducation}`),
    r('self_care', !R.requireSelfCare || f.selfCare === true,
      f.selfCare === undefined && R.requireSelfCare ? '请确认生活能否自理（details.selfCare）' : !R.requireSelfCare || f.selfCare === true ? '生活能够自理' : '生活不能自理，不适合参加集中培训',
      f.selfCare === undefined && R.requireSelfCare ? 'self-care must be stated (details.selfCare: true/false)' : !R.requireSelfCare || f.selfCare === true ? 'able to look after themselves' : 'not able to look after themselves'),
    r('not_severe_intellectual_psychiatric', !R.excludeSevereIntellectualPsychiatric || !severe,
      !R.excludeSevereIntellectualPsychiatric || !severe ? '非一、二级智力或精神残疾' : `${f.disabilityCategory === 5 ? '智力' : '精神'}残疾${f.disabilityGrade === 1 ? '一' : '二'}级，不适合参加职业培训`,
      !R.excludeSevereIntellectualPsychiatric || !severe ? 'no grade 1-2 intellectual or psychiatric disability' : `grade ${f.disabilityGrade} ${f.disabilityCategory === 5 ? 'intellectual' : 'psychiatric'} disability is excluded`),
    r('course_open', courseOk,
      !c ? (f.courseProblem?.zh ?? '未找到本县的该培训班') : courseOk ? (waitlisted ? `「${c.name}」已满（${c.places} 个名额），审批后进入候补（前面 ${c.waiting} 人）` : `「${c.name}」尚余 ${c.places - c.taken} 个名额${f.today > c.endDate ? `（已于 ${c.endDate} 结课，按补录办理）` : ''}`) : `「${c.name}」已停止报名`,
      !c ? (f.courseProblem?.en ?? 'no such course in this county') : courseOk ? (waitlisted ? `course full (${c.places} places): waitlisted after approval (${c.waiting} ahead)` : `${c.places - c.taken} places left${f.today > c.endDate ? ` (ended ${c.endDate}: back-filled)` : ''}`) : 'the course is not open for enrolment'),
  ];
  return { eligible: rules.every((x) => x.ok), rules, priority: 0, waitlisted };
}
