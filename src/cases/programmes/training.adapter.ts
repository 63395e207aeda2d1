import { checkTrainingEligibility, TrainingCaseInput, TrainingCourseFacts, trainingRules } from '../../../workflows/contracts';
import { ageOn } from '../../domain/identity/resident-id';
import { CaseBase, Precheck, PrecheckContext, ProgrammeAdapter } from './programme-adapter';

const isoDay = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface CourseRow extends TrainingCourseFacts {
  type: string;
  hours: number;
  year: number;
  org_unit_code: string;
  institution_id: string;
  institution_name: string;
}

/**
 * Vocational training (培训就业): village or township staff recruit a trainee onto a course of
 * the person's county (details: {courseId, education, selfCare}); the county approves in the workflow.
 */
export const trainingAdapter: ProgrammeAdapter = {
  programme: 'training',
  caseNoPrefix: 'TRN',
  registrarRoles: ['village_caseworker', 'township_officer'],

  async precheck({ db, user, person: p, today, settings, details }: PrecheckContext): Promise<Precheck> {
    const countyCode = p.org_path.split('/').filter(Boolean)[1];
    const [open] = await db.query(
      `SELECT count(*)::int AS n FROM case_file WHERE person_id = $1 AND programme = 'training' AND status = 'open'`,
      [p.id],
    );
    let course: CourseRow | null = null;
    let courseProblem: { zh: string; en: string } | undefined;
    const courseId = details.courseId;
    if (typeof courseId !== 'string' || !UUID.test(courseId)) {
      courseProblem = { zh: '请选择培训班（details.courseId）', en: 'details.courseId (the course) is required' };
    } else {
      const rows: CourseRow[] = await db.query(
        `SELECT c.id, c.name, c.type, c.status, c.places, c.hours, c.year, c.org_unit_code, c.institution_id, p.name AS institution_name,
                to_char(c.start_date,'YYYY-MM-DD') AS "startDate", to_char(c.end_date,'YYYY-MM-DD') AS "endDate",
                (SELECT count(*)::int FROM course_enrolment e WHERE e.course_id = c.id AND e.status IN ('enrolled','completed','incomplete')) AS taken,
                (SELECT count(*)::int FROM course_enrolment e WHERE e.course_id = c.id AND e.status = 'waiting') AS waiting
         FROM course c JOIN partner p ON p.id = c.institution_id WHERE c.id = $1`,
        [courseId],
      );
      const c = rows[0];
      if (!c) courseProblem = { zh: '没有该培训班', en: 'no such course' };
      else if (c.org_unit_code !== countyCode) courseProblem = { zh: `「${c.name}」不是本县的培训班`, en: 'the course belongs to another county' };
      else course = c;
    }
    const r = checkTrainingEligibility({
      today,
      age: ageOn(isoDay(p.birth_date as unknown), today),
      sex: p.sex === 'F' ? 'F' : 'M',
      hasCertificate: !!p.disability_cert_no,
      disabilityCategory: p.disability_category,
      disabilityGrade: p.disability_grade,
      education: details.education,
      selfCare: details.selfCare,
      openTrainingCases: open.n,
      course,
      courseProblem,
      rules: trainingRules(settings),
    });
    const info = {
      course: course ? { id: course.id, name: course.name, startDate: course.startDate, endDate: course.endDate, places: course.places, taken: course.taken, waiting: course.waiting } : null,
      waitlisted: r.waitlisted,
    };
    return { eligible: r.eligible, rules: r.rules, priority: 0, info, facts: { course, recruiterPath: user.orgPath, details: { education: details.education, selfCare: details.selfCare } } };
  },

  caseRow(check) {
    const c = check.facts.course as CourseRow;
    return { data: { course: { id: c.id, name: c.name, startDate: c.startDate, endDate: c.endDate } } };
  },

  workflowInput(base: CaseBase, check: Precheck): TrainingCaseInput {
    const c = check.facts.course as CourseRow;
    const details = (check.facts.details ?? {}) as Record<string, unknown>;
    return {
      caseId: base.caseId,
      caseNo: base.caseNo,
      personId: base.person.id,
      orgUnitCode: base.area.orgUnitCode,
      orgPath: base.area.orgPath,
      course: {
        id: c.id,
        name: c.name,
        type: c.type,
        institutionId: c.institution_id,
        institutionName: c.institution_name,
        startDate: c.startDate,
        endDate: c.endDate,
        hours: c.hours,
        year: c.year,
        countyCode: c.org_unit_code,
      },
      disabilityGrade: base.person.disability_grade,
      applicant: { education: String(details.education), selfCare: details.selfCare === true },
      settings: base.settings,
      openedBy: { ...base.openedBy, orgPath: String(check.facts.recruiterPath) },
    };
  },
};
