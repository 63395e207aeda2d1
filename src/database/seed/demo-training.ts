/**
 * Demo training cohorts (培训就业), driven through the REAL HTTP api as the demo users, like the
 * cataract demo cases (seed/demo-cases.ts calls this once its own cases are in): every case has a
 * genuine Temporal workflow, tasks and a timeline. Per county the county officer plans courses with
 * the county's demo training institution, the demo employer posts a position and its headcount,
 * and the working-age certificate holders of the county are recruited into a cohort that holds
 * every state:
 *
 *   东湖县  last year's course (back-filled): stable employment after 12 months (closed) · retention,
 *           12-month visit open (a trainee of 上湾村: the printed shangwan.caseworker records it) · a job lost at the 6-month visit and re-placement in progress (an
 *           offer refused, the quota employer's accepted, contract open at the employer) · offer open
 *           for the trainee's answer (a trainee who dropped out of this year's course and re-enrolled);
 *           this year's course (running, one place, late entry over): attendance open · dropped out
 *           (closed) · waitlist expired (closed: recruited when the course was full), then recruited
 *           for the next course (starts in 20 days): county approval open.
 *   西山县  a course that just ended: assessment open · job matching open (passed, certificate) ·
 *           not employed after training (closed), then enrolled in the upcoming course (one place),
 *           waiting for the start · rejected by the county (closed: the course had ended), then
 *           waitlisted for the upcoming course;
 *           a grade 2 psychiatric disability is refused at the pre-check (reason shown, no case).
 *
 * Each person's cases run in order (a closed case frees the person for the next). A state that the
 * real api cannot reach on the day the seed runs (e.g. a waitlist that cannot expire because the
 * course still has a place) is skipped with the reason logged. The demo people are fixed but age
 * with the calendar: whoever is of working age today is used, and a person's story without a person
 * left is skipped (logged). Idempotent: nothing happens when the city manager already sees a
 * training case or course.
 */
import { trainingRules, TRAINING_DEFAULTS } from '../../../workflows/contracts';
import { ageOn } from '../../domain/identity/resident-id';
import { DemoApi, sleep } from './demo-api';
import { DEMO_CITY_CODE, DEMO_PARTNERS, demoUnit, demoUnitsAt } from './demo-org';
import { DEMO_PEOPLE, type DemoPerson } from './demo-people';
import { addDays, shanghaiToday } from './prng';



type Target =
  | 'stable' // last year's course, 12 months retained (closed: stable_employment)
  | 'retention' // placed ~10 months ago: the 12-month visit is open
  | 'replacement' // public-welfare post lost at the 6-month visit; an offer refused, the employer's accepted: contract open
  | 'dropout_then_offer' // dropped out of this year's course; re-enrolled last year's (back-fill): offer open
  | 'attendance' // this year's course running: the period's attendance record is open
  | 'waitlist_expired' // recruited after late entry into this year's full course: waitlisted, expired (closed)
  | 'approval' // recruited for the next course: county approval open
  | 'assessment' // course ended: assessment open at the institution
  | 'job_match' // passed with a certificate: the county matches a job
  | 'not_employed' // passed, no placement wanted (closed: not_employed)
  | 'rejected' // recruited after the course ended: the county rejects (closed: rejected)
  | 'awaiting_course' // upcoming course (1 place): enrolled, waiting for the start
  | 'waitlisted'; // upcoming course full: on the waitlist

/** Per county, each person's story: the targets their cases reach, in order (one open case at a time). */
const PLAN: Record<string, Target[][]> = {
  '519901': [['stable'], ['retention'], ['replacement'], ['dropout_then_offer'], ['attendance'], ['waitlist_expired', 'approval']],
  '519902': [['assessment'], ['job_match'], ['not_employed', 'awaiting_course'], ['rejected', 'waitlisted']],
};

/**
 * The state each target leaves its case(s) in: "open:<open task steps>" (the case's step when no
 * task is open) or "closed:<outcome>", as `Driver.state` and the seed test read them.
 */
export const TRAINING_TARGET_STATES: Record<Target, string[]> = {
  stable: ['closed:stable_employment'],
  retention: ['open:retention_12m'],
  replacement: ['open:contract'],
  dropout_then_offer: ['closed:dropped_out', 'open:offer_response'],
  attendance: ['open:attendance'],
  waitlist_expired: ['closed:waitlist_expired'],
  approval: ['open:county_approval'],
  assessment: ['open:assessment'],
  job_match: ['open:job_match'],
  not_employed: ['closed:not_employed'],
  rejected: ['closed:rejected'],
  awaiting_course: ['open:awaiting_course'],
  waitlisted: ['open:waitlist'],
};

/** A target the real api cannot reach today: skipped, the reason logged. */
class CannotReachToday extends Error {}

const EDUCATION = ['junior_secondary', 'senior_secondary', 'primary', 'vocational', 'junior_secondary', 'college'];

/** Working-age certificate holders of a county, and those refused for a grade 1–2 intellectual/psychiatric disability. */
export function demoTrainees(countyCode: string, today: string): { eligible: DemoPerson[]; severe: DemoPerson[] } {
  const r = trainingRules(TRAINING_DEFAULTS);
  const adults = DEMO_PEOPLE.filter((p) => p.orgPath.includes(`/${countyCode}/`) && p.disabilityCertNo).filter((p) => {
    const age = ageOn(p.birthDate, today);
    return age >= r.minAge && age <= (p.sex === 'F' ? r.maxAgeWomen : r.maxAgeMen);
  });
  const isSevere = (p: DemoPerson) => (p.disabilityCategory === 5 || p.disabilityCategory === 6) && (p.disabilityGrade ?? 9) <= 2;
  return { eligible: adults.filter((p) => !isSevere(p)), severe: adults.filter(isSevere) };
}

export interface DemoTrainingResult {
  skipped: boolean;
  created: number;
  states: Record<string, number>;
  failures: string[];
  /** Targets not reachable through the api today, with the reason. */
  notReached: string[];
}

/**
 * The village of the printed demo caseworker (上湾村, shangwan.caseworker in demo-accounts.ts): a
 * working-age trainee of this village, if there is one, takes the `retention` story, so that
 * caseworker has a job-retention visit (a caseworker follow-up) to record.
 */
export const DEMO_VISIT_VILLAGE = '519901101201';

/** A county's trainees in story order: the working-age certificate holders, one of the printed village's moved to the retention story. */
export function demoCohort(countyCode: string, today: string): DemoPerson[] {
  const people = [...demoTrainees(countyCode, today).eligible];
  const stories = PLAN[countyCode] ?? [];
  const r = stories.findIndex((st) => st.includes('retention'));
  const v = people.findIndex((p) => p.hukouOrgCode === DEMO_VISIT_VILLAGE);
  if (r >= 0 && v >= 0 && r < people.length) [people[r], people[v]] = [people[v], people[r]];
  return people;
}

/** The stories the seed plays today: per county, as many as there are working-age certificate holders. */
export function planDemoTraining(today: string): { countyCode: string; person: DemoPerson; story: Target[] }[] {
  return Object.entries(PLAN).flatMap(([countyCode, stories]) => {
    const cohort = demoCohort(countyCode, today);
    return stories.slice(0, cohort.length).map((story, i) => ({ countyCode, person: cohort[i], story }));
  });
}

export async function seedDemoTraining(apiBaseUrl: string, opts: { log?: (m: string) => void } = {}): Promise<DemoTrainingResult> {
  const log = opts.log ?? (() => undefined);
  const api = new DemoApi(apiBaseUrl.replace(/\/+$/, ''));
  const result: DemoTrainingResult = { skipped: false, created: 0, states: {}, failures: [], notReached: [] };
  const manager = `${demoUnit(DEMO_CITY_CODE).slug}.manager`;
  const cases = await api.call(manager, 'GET', '/cases?programme=training&limit=1');
  const courses = await api.call(manager, 'GET', '/training/courses');
  if (cases?.items?.length || courses?.items?.length) {
    log('demo training: the demo city already has training courses or cases; nothing to do');
    return { ...result, skipped: true };
  }
  const today = shanghaiToday();
  await Promise.all(
    demoUnitsAt('county').map(async (county) => {
      try {
        await seedCounty(api, county.code, today, result, log);
      } catch (e) {
        result.failures.push(`training in ${county.name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }),
  );
  log(`demo training: ${result.created} cases (${Object.entries(result.states).map(([k, n]) => `${k} ${n}`).join(', ')})`);
  return result;
}

async function seedCounty(api: DemoApi, countyCode: string, today: string, result: DemoTrainingResult, log: (m: string) => void) {
  const county = demoUnit(countyCode);
  const officer = `${county.slug}.officer1`;
  const partner = (suffix: string) => {
    const p = DEMO_PARTNERS.find((x) => x.key === `${county.slug}.${suffix}`);
    if (!p) throw new Error(`no demo partner ${county.slug}.${suffix}`);
    return p;
  };
  const institution = partner('training');
  const employer = partner('employer');
  const teacher = institution.key;
  const hr = employer.key;

  // ---- the plan: courses, a position, the employer's headcount ----
  const course = async (name: string, type: string, start: string, days: number, hours: number, places: number, location: string) =>
    api.call(officer, 'POST', '/training/courses', { name, type, orgUnitCode: countyCode, institutionId: institution.id, startDate: start, endDate: addDays(start, days - 1), hours, places, location, feePerTrainee: 1800 });
  const short = county.name.slice(0, 2);
  const courses: Record<string, any> = {};
  if (countyCode === '519901') {
    courses.past = await course(`${short}食品加工技能培训班（上年度）`, 'employment_skills', addDays(today, -420), 28, 120, 20, `${institution.name}实训车间`);
    // One place (a small practical class): full once a trainee attends, so a late recruit's waitlist expires.
    courses.current = await course(`${short}电子商务技能培训班`, 'ecommerce', addDays(today, -10), 28, 100, 1, `${institution.name} 3 楼机房`);
    courses.next = await course(`${short}果树栽培实用技术培训班`, 'rural_practical', addDays(today, 20), 21, 60, 20, '东湖县农技推广站');
  } else {
    courses.recent = await course(`${short}茶叶种植加工实用技术培训班`, 'rural_practical', addDays(today, -40), 35, 90, 15, '石门乡茶叶合作社');
    courses.upcoming = await course(`${short}盲人保健按摩培训班`, 'blind_massage', addDays(today, 10), 28, 120, 1, `${institution.name}按摩实训室`);
  }
  const position = await api.call(officer, 'POST', '/training/positions', {
    employerId: employer.id, title: countyCode === '519901' ? '食品包装工' : '茶叶加工工', openings: 3, monthlyPay: 2600, contractMonths: 24, socialInsurance: true,
  });
  await api.call(officer, 'PUT', `/training/employers/${employer.id}/profile`, { headcount: countyCode === '519901' ? 150 : 90 });

  // ---- the cohort ----
  const { severe } = demoTrainees(countyCode, today);
  const eligible = demoCohort(countyCode, today);
  for (const p of severe) {
    const village = demoUnit(p.hukouOrgCode);
    const pre = await api.call(`${village.slug}.caseworker`, 'POST', '/cases/precheck', {
      programme: 'training', personId: p.id, details: { courseId: (courses.recent ?? courses.current).id, education: 'junior_secondary', selfCare: true },
    }, [201]);
    log(`demo training: ${p.name} refused at the pre-check (${pre.rules.filter((r: any) => !r.ok).map((r: any) => r.message).join('；')})`);
  }
  const stories = PLAN[countyCode] ?? [];
  if (eligible.length < stories.length) {
    log(`demo training: ${county.name} has ${eligible.length} working-age certificate holders for ${stories.length} planned stories; ${stories.slice(eligible.length).map((x) => x.join('→')).join(', ')} skipped`);
  }

  for (const [i, story] of stories.entries()) {
    const p = eligible[i];
    if (!p) break;
    const d = new Driver(api, p, officer, teacher, hr, EDUCATION[i % EDUCATION.length]);
    for (const target of story) {
      try {
        const states = await d.run(target, courses, { employerId: employer.id, positionId: position.id }, today);
        for (const s of states) {
          result.created++;
          result.states[s] = (result.states[s] ?? 0) + 1;
        }
        log(`demo training: ${p.name} → ${states.join(', ')}`);
      } catch (e) {
        if (e instanceof CannotReachToday) {
          result.notReached.push(`${target}: ${e.message}`);
          log(`demo training: ${target} for ${p.name} skipped: ${e.message}`);
          continue;
        }
        result.failures.push(`training ${target} for ${p.name}: ${e instanceof Error ? e.message : String(e)}`);
        log(`demo training for ${p.name} failed: ${e instanceof Error ? e.message : String(e)}`);
        break; // the person's later cases would start from an unknown state
      }
    }
  }
  // Last year's course has run: no more enrolments.
  if (courses.past) await api.call(officer, 'PUT', `/training/courses/${courses.past.id}`, { status: 'closed' });
}

class Driver {
  private caseId = '';
  private readonly caseworker: string;

  constructor(
    private readonly api: DemoApi,
    private readonly p: DemoPerson,
    private readonly officer: string,
    private readonly teacher: string,
    private readonly hr: string,
    private readonly education: string,
  ) {
    this.caseworker = `${demoUnit(p.hukouOrgCode).slug}.caseworker`;
  }

  private async openTask(as: string, step: string): Promise<{ taskId: string; assigneeUserId: string | null }> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const d = await this.api.call(as, 'GET', `/cases/${this.caseId}`);
      const t = d?.tasks?.find((x: any) => x.step === step && x.status === 'open');
      if (t) return t;
      if (d?.case?.status === 'closed') throw new Error(`closed (${d.case.outcome}) while waiting for ${step}`);
      if (Date.now() > deadline) throw new Error(`task ${step} did not open within 60 s (at ${d?.case?.step})`);
      await sleep(200);
    }
  }

  private async act(as: string, step: string, decision: { action: string; reason?: string; data?: Record<string, unknown> }) {
    const t = await this.openTask(as, step);
    if (!t.assigneeUserId) await this.api.call(as, 'POST', `/cases/${this.caseId}/tasks/${t.taskId}/claim`);
    await this.api.call(as, 'POST', `/cases/${this.caseId}/tasks/${t.taskId}/decision`, decision);
  }

  private async state(untilClosed = false, step?: string): Promise<string> {
    for (let i = 0; ; i++) {
      const d = await this.api.call(this.officer, 'GET', `/cases/${this.caseId}`);
      const done = untilClosed ? d.case.status === 'closed' : !step || d.case.step === step;
      if (done || i > 150) {
        const open = (d.tasks ?? []).filter((t: any) => t.status === 'open').map((t: any) => String(t.step)).sort();
        return d.case.status === 'closed' ? `closed:${d.case.outcome}` : `open:${open.join('+') || d.case.step}`;
      }
      await sleep(200);
    }
  }

  private async enrol(course: any) {
    const r = await this.api.call(this.caseworker, 'POST', '/cases', {
      programme: 'training', personId: this.p.id, details: { courseId: course.id, education: this.education, selfCare: true },
    }, [201]);
    this.caseId = r.caseId;
  }

  /** Approval, attendance of every period (the hours of each), the assessment. */
  private async train(course: any, passed: boolean, certificate: boolean) {
    await this.act(this.officer, 'county_approval', { action: 'approve' });
    const periods = Math.ceil((Date.parse(course.endDate) - Date.parse(course.startDate) + 86_400_000) / (14 * 86_400_000));
    const each = Math.round((course.hours * 0.98) / periods);
    for (let i = 0; i < periods; i++) await this.act(this.teacher, 'attendance', { action: 'submit', data: { hours: each } });
    await this.act(this.teacher, 'assessment', {
      action: 'submit',
      data: passed ? { passed: true, score: 85, ...(certificate ? { certificate: { number: `ZS${course.startDate.slice(0, 4)}${this.p.residentId.slice(-6)}`, level: 'level5' } } : {}) } : { passed: false, score: 52 },
    });
  }

  async run(target: Target, courses: Record<string, any>, job: { employerId: string; positionId: string }, today: string): Promise<string[]> {
    const out: string[] = [];
    const quotaOffer = async () => {
      await this.act(this.officer, 'job_match', { action: 'submit', data: { channel: 'quota_employer', ...job } });
    };
    switch (target) {
      case 'stable': {
        await this.enrol(courses.past);
        await this.train(courses.past, true, true);
        await quotaOffer();
        await this.act(this.caseworker, 'offer_response', { action: 'submit', data: { accepted: true } });
        await this.act(this.hr, 'contract', { action: 'submit', data: { signed: true, startDate: addDays(today, -380), contractMonths: 36, monthlyPay: 2800, socialInsurance: true } });
        for (const step of ['retention_3m', 'retention_6m', 'retention_12m']) {
          await this.act(this.caseworker, step, { action: 'submit', data: { employed: true, monthlyPay: 2800, note: '入户回访，工作稳定 / visited, job stable' } });
        }
        out.push(await this.state(true));
        break;
      }
      case 'retention': {
        await this.enrol(courses.past);
        await this.train(courses.past, true, false);
        await quotaOffer();
        await this.act(this.caseworker, 'offer_response', { action: 'submit', data: { accepted: true } });
        await this.act(this.hr, 'contract', { action: 'submit', data: { signed: true, startDate: addDays(today, -300), contractMonths: 12, monthlyPay: 2400, socialInsurance: true } });
        await this.act(this.caseworker, 'retention_3m', { action: 'submit', data: { employed: true } });
        await this.act(this.caseworker, 'retention_6m', { action: 'submit', data: { employed: true, note: '已签订续聘意向 / renewal agreed' } });
        out.push(await this.state(false, 'retention'));
        break;
      }
      case 'replacement': {
        await this.enrol(courses.past);
        await this.train(courses.past, true, true);
        // Placed on a public-welfare post ~10 months ago, lost at the 6-month visit: placement reopens.
        const started = addDays(today, -300);
        await this.act(this.officer, 'job_match', { action: 'submit', data: { channel: 'public_welfare', postName: '乡镇残疾人之家管理员', monthlyPay: 1900, startDate: started } });
        await this.act(this.caseworker, 'offer_response', { action: 'submit', data: { accepted: true } });
        await this.act(this.caseworker, 'retention_3m', { action: 'submit', data: { employed: true, monthlyPay: 1900 } });
        await this.act(this.caseworker, 'retention_6m', {
          action: 'submit', data: { employed: false, lostOn: addDays(today, -100), reason: '残疾人之家合并，岗位撤销 / the post was abolished when two centres merged' },
        });
        // Re-placement: a first offer refused (in the timeline), then the quota employer's position accepted.
        await this.act(this.officer, 'job_match', { action: 'submit', data: { channel: 'public_welfare', postName: '村级残疾人专职委员助理', monthlyPay: 1500, startDate: today } });
        await this.act(this.caseworker, 'offer_response', { action: 'submit', data: { accepted: false, reason: '希望到企业就业 / prefers a company job' } });
        await quotaOffer();
        await this.act(this.caseworker, 'offer_response', { action: 'submit', data: { accepted: true } });
        out.push(await this.state(false, 'contract'));
        break;
      }
      case 'dropout_then_offer': {
        await this.enrol(courses.current);
        await this.act(this.officer, 'county_approval', { action: 'approve' });
        await this.act(this.teacher, 'attendance', { action: 'submit', data: { hours: 6, dropOut: true, reason: '家中老人病重需照料，自愿退出 / caring for a sick parent' } });
        out.push(await this.state(true));
        // Re-enrolled in last year's course (recorded afterwards), trained, now offered a job.
        await this.enrol(courses.past);
        await this.train(courses.past, true, false);
        await this.act(this.officer, 'job_match', { action: 'submit', data: { channel: 'public_welfare', postName: '社区助残服务岗', monthlyPay: 1800, startDate: addDays(today, 7) } });
        out.push(await this.state(false, 'offer_response'));
        break;
      }
      case 'attendance': {
        await this.enrol(courses.current);
        await this.act(this.officer, 'county_approval', { action: 'approve' });
        await this.openTask(this.teacher, 'attendance');
        out.push(await this.state(false, 'attendance'));
        break;
      }
      case 'waitlist_expired': {
        // Recruited for this year's course after its late-entry days: approved, waitlisted, and the
        // waitlist ends at once (no place can free up any more). Only when the course is full today.
        const c = await this.api.call(this.officer, 'GET', `/training/courses/${courses.current.id}`);
        if (c.placesLeft > 0) throw new CannotReachToday(`「${c.name}」 still has ${c.placesLeft} place(s): a waitlist cannot expire today`);
        const lastEntry = [addDays(c.startDate, trainingRules(TRAINING_DEFAULTS).lateEntryDays), c.endDate].sort()[0];
        if (lastEntry >= today) throw new CannotReachToday(`late entry to 「${c.name}」 is open until ${lastEntry}: a waitlist cannot expire today`);
        await this.enrol(courses.current);
        await this.act(this.officer, 'county_approval', { action: 'approve' });
        out.push(await this.state(true));
        break;
      }
      case 'not_employed': {
        await this.enrol(courses.recent);
        await this.train(courses.recent, true, false);
        await this.act(this.officer, 'job_match', { action: 'submit', data: { channel: 'none', reason: '本人暂不就业，希望参加下期培训后再求职 / not taking a job now: wants another course first' } });
        out.push(await this.state(true));
        break;
      }
      case 'rejected': {
        await this.enrol(courses.recent);
        await this.act(this.officer, 'county_approval', {
          action: 'reject', reason: `该班已于 ${courses.recent.endDate} 结课，无法补学；建议报名下期盲人保健按摩培训班 / the course ended on ${courses.recent.endDate}; advised to join the next massage course`,
        });
        out.push(await this.state(true));
        break;
      }
      case 'approval': {
        await this.enrol(courses.next ?? courses.current);
        await this.openTask(this.officer, 'county_approval');
        out.push(await this.state());
        break;
      }
      case 'assessment': {
        await this.enrol(courses.recent);
        await this.act(this.officer, 'county_approval', { action: 'approve' });
        for (let i = 0; i < 3; i++) await this.act(this.teacher, 'attendance', { action: 'submit', data: { hours: 30 } });
        out.push(await this.state(false, 'assessment'));
        break;
      }
      case 'job_match': {
        await this.enrol(courses.recent);
        await this.train(courses.recent, true, true);
        out.push(await this.state(false, 'job_match'));
        break;
      }
      case 'awaiting_course': {
        await this.enrol(courses.upcoming);
        await this.act(this.officer, 'county_approval', { action: 'approve' });
        out.push(await this.state(false, 'awaiting_course'));
        break;
      }
      case 'waitlisted': {
        await this.enrol(courses.upcoming);
        await this.act(this.officer, 'county_approval', { action: 'approve' });
        out.push(await this.state(false, 'waitlist'));
        break;
      }
    }
    return out;
  }
}
