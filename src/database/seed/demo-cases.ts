/**
 * Demo cataract cases, driven through the REAL HTTP api as the demo users (login, register, claim,
 * decide), so every case has a genuine Temporal workflow, tasks and a timeline, and the demo shows
 * cases at every step: just registered, at each approval, returned for information, rejected,
 * not suitable, contraindicated, surgery done with follow-ups open, completed and archived.
 * Every case is a paper application with its receipt date (受理日期, POST /cases receivedAt) a few
 * working days back; a backlog received 5–20 working days back (planDemoBacklog), half screened and
 * half waiting, gives the monitor real screening times per unit and overdue cases to show.
 *
 *   node dist/src/database/cli.js seed-cases http://127.0.0.1:3000
 *
 * Run after the api and worker are ready and after `seed` (it uses the demo people and accounts).
 * Idempotent: if the city manager already sees any case, it does nothing. It only needs the api's
 * base URL (no database access): person ids are the demo seed's fixed ids.
 */
import { DemoApi, DemoApiError, sleep } from './demo-api';
import { seedDemoChildCases } from './demo-child-cases';
import { DEMO_CITY_CODE, DEMO_PARTNERS, demoUnit, demoUnitsAt } from './demo-org';
import { DEMO_PEOPLE, type DemoPerson } from './demo-people';
import { WorkingDayCalendar } from '../../domain/calendar/working-days';
import { addDays, prng, shanghaiToday } from './prng';
import { seedDemoTraining } from './demo-training';

/** Where a demo case is left. */
export type DemoCaseTarget =
  | 'registered' // waiting for screening (township officer)
  | 'hospital_choice' // screened suitable, the village caseworker picks a hospital
  | 'pre_op' // hospital chosen, pre-op checks open at the hospital
  | 'township_verify' // pre-op fit, township verification open
  | 'county_approval' // township verified, county approval open
  | 'returned' // county returned it for information: supplement task open at the township
  | 'rejected' // closed: rejected (by the township in one county, by the county in the other)
  | 'not_suitable' // closed at screening
  | 'contraindicated' // closed at pre-op
  | 'surgery' // approved (one after a return and supplement), surgery open at the hospital
  | 'settlement' // surgery done; settlement and all four follow-ups open
  | 'followups' // settled, day-1 and phone follow-ups done, 2-week and 3-month visits open
  | 'confirmation' // everything done but the patient's confirmation at the township
  | 'completed'; // archived with outcome indicators

/** Per county, in this order (so the states spread over the villages). */
const PLAN: [DemoCaseTarget, number][] = [
  ['registered', 2],
  ['hospital_choice', 2],
  ['pre_op', 2],
  ['township_verify', 1],
  ['county_approval', 2],
  ['returned', 1],
  ['rejected', 1],
  ['not_suitable', 1],
  ['contraindicated', 1],
  ['surgery', 2],
  ['settlement', 1],
  ['followups', 2],
  ['confirmation', 1],
  ['completed', 2],
];

export interface DemoCasePlan {
  person: DemoPerson;
  target: DemoCaseTarget;
  /** Index among this county's planned cases, for deterministic variety (eye, acuity, amount). */
  n: number;
  /** Partner key of the hospital the caseworker chooses (undefined if the case stops before). */
  hospital: string;
  /** Try the suspended hospital first (shows a refused choice in the timeline). */
  triesSuspendedFirst: boolean;
  /** County return + supplement before the approval (for 'surgery' #0 and 'returned'). */
  returnedFirst: boolean;
  rejectedBy: 'township' | 'county';
  /**
   * 受理日期: the day the paper application was received at the village, some working days before
   * it is typed in (POST /cases receivedAt), so the screening's time limit and the monitor's
   * figures count from it.
   */
  receivedAt: string;
}

/** Longest a receipt date may lie back (the api refuses more: MAX_RECEIPT_DAYS_BACK). */
const RECEIPT_MAX_CALENDAR_DAYS = 30;

/** The day `workingDays` working days before `today` (bundled holiday calendar), at most 30 days back. */
export function receiptDate(today: string, workingDays: number, cal = new WorkingDayCalendar()): string {
  const d = workingDays > 0 ? cal.subtractWorkingDays(today, workingDays) : today;
  const earliest = addDays(today, -RECEIPT_MAX_CALENDAR_DAYS);
  return d < earliest ? earliest : d;
}

/** The planned cases: elderly demo residents of each county, in the demo list's order. */
export function planDemoCases(): DemoCasePlan[] {
  const today = shanghaiToday();
  const cal = new WorkingDayCalendar();
  const out: DemoCasePlan[] = [];
  demoUnitsAt('county').forEach((county, ci) => {
    const people = DEMO_PEOPLE.filter((p) => p.orgPath.startsWith(county.path) && p.group === 'elderly' && p.birthDate <= `${Number(today.slice(0, 4)) - 60}${today.slice(4)}`);
    const targets = PLAN.flatMap(([t, k]) => Array.from({ length: k }, () => t));
    if (people.length < targets.length) throw new Error(`not enough elderly demo residents in ${county.name}`);
    const seen = new Map<DemoCaseTarget, number>();
    const r = prng(7100 + ci); // receipt dates: 2–8 working days before registration
    targets.forEach((target, n) => {
      const k = seen.get(target) ?? 0;
      seen.set(target, k + 1);
      // The 3-place hospital holds two open cases per county (one place left: "nearly full").
      const small = (target === 'pre_op' && k === 0) || (target === 'county_approval' && k === 0);
      out.push({
        person: people[n],
        target,
        n,
        hospital: `${county.slug}.${small ? 'hospital2' : 'hospital1'}`,
        triesSuspendedFirst: target === 'township_verify' || (target === 'completed' && k === 0),
        returnedFirst: target === 'returned' || (target === 'surgery' && k === 0),
        rejectedBy: ci === 0 ? 'township' : 'county',
        receivedAt: receiptDate(today, r.int(2, 8), cal),
      });
    });
  });
  return out;
}

/** A paper application of the backlog: received 5–20 working days ago, screened today or still waiting. */
export interface DemoBacklogPlan {
  person: DemoPerson;
  receivedAt: string;
  /** Working days between the receipt and today. */
  workingDaysBack: number;
  /** Screening recorded today (the rest wait, most of them past their 10 working days). */
  screened: boolean;
  n: number;
}

/** Per township: this many backlog applications (the first half screened, then one overdue, one in time). */
const BACKLOG_PER_TOWNSHIP = 4;

/**
 * The backlog: a pile of paper applications typed in today, across every township, received 5–20
 * working days ago. Half of them are screened at once (so the screening's median and p90 per
 * township are real working-day figures), the others wait: those received 12 or more working days
 * ago are past their 10 working days and show in the stuck list with their why-stuck line.
 * Elderly residents the main plan does not use, in the demo list's order.
 */
export function planDemoBacklog(today = shanghaiToday()): DemoBacklogPlan[] {
  const cal = new WorkingDayCalendar();
  const used = new Set(planDemoCases().map((p) => p.person.id));
  const adult = `${Number(today.slice(0, 4)) - 60}${today.slice(4)}`;
  const out: DemoBacklogPlan[] = [];
  const r = prng(7300);
  let n = 0;
  for (const township of demoUnitsAt('township')) {
    const people = DEMO_PEOPLE.filter((p) => p.orgPath.startsWith(township.path) && p.group === 'elderly' && p.birthDate <= adult && !used.has(p.id));
    if (people.length < BACKLOG_PER_TOWNSHIP) throw new Error(`not enough elderly demo residents in ${township.name} for the backlog`);
    for (let k = 0; k < BACKLOG_PER_TOWNSHIP; k++, n++) {
      const screened = k < BACKLOG_PER_TOWNSHIP / 2;
      // Screened ones were received 5–20 working days ago; of the waiting ones, one is overdue (12–20), one in time (5–9).
      const back = screened ? r.int(5, 20) : k % 2 === 0 ? r.int(12, 20) : r.int(5, 9);
      const receivedAt = receiptDate(today, back, cal);
      out.push({ person: people[k], receivedAt, workingDaysBack: cal.workingDaysBetween(receivedAt, today), screened, n });
    }
  }
  return out;
}

// ---- a small api client ------------------------------------------------------------------------




// ---- driving one case --------------------------------------------------------------------------

const EYES = ['right', 'left'] as const;
const ACUITY_BEFORE = [0.02, 0.05, 0.08, 0.1, 0.12, 0.15, 0.2];

class CaseDriver {
  caseId = '';
  caseNo = '';
  private readonly caseworker: string;
  private readonly township1: string;
  private readonly township2: string;
  private readonly county1: string;
  private readonly county2: string;
  private readonly eye: (typeof EYES)[number];

  constructor(private readonly api: DemoApi, private readonly p: DemoCasePlan, private readonly today: string) {
    const village = demoUnit(p.person.hukouOrgCode);
    const township = demoUnit(village.parentCode!);
    const county = demoUnit(township.parentCode!);
    this.caseworker = `${village.slug}.caseworker`;
    this.township1 = `${township.slug}.officer1`;
    this.township2 = `${township.slug}.officer2`;
    this.county1 = `${county.slug}.officer1`;
    this.county2 = `${county.slug}.officer2`;
    this.eye = EYES[p.n % 2];
  }

  private partner(key: string) {
    const h = DEMO_PARTNERS.find((x) => x.key === key);
    if (!h) throw new Error(`no demo partner ${key}`);
    return h;
  }

  /** Waits until the case has an open task for `step` (the workflow opens it asynchronously). */
  private async openTask(as: string, step: string): Promise<{ taskId: string; assigneeUserId: string | null }> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const d = await this.api.call(as, 'GET', `/cases/${this.caseId}`);
      const t = d?.tasks?.find((x: any) => x.step === step && x.status === 'open');
      if (t) return t;
      if (d?.case?.status === 'closed') throw new Error(`${this.caseNo}: closed (${d.case.outcome}) while waiting for ${step}`);
      if (Date.now() > deadline) throw new Error(`${this.caseNo}: task ${step} did not open within 60 s (at ${d?.case?.step})`);
      await sleep(200);
    }
  }

  /** Claims the open task of `step` (unless already assigned) and sends the decision. */
  private async act(as: string, step: string, decision: { action: string; reason?: string; data?: Record<string, unknown> }) {
    const t = await this.openTask(as, step);
    if (!t.assigneeUserId) await this.api.call(as, 'POST', `/cases/${this.caseId}/tasks/${t.taskId}/claim`);
    await this.api.call(as, 'POST', `/cases/${this.caseId}/tasks/${t.taskId}/decision`, decision);
  }

  private async followUp(as: string, step: string, data: Record<string, unknown>) {
    const t = await this.openTask(as, step);
    await this.api.call(as, 'POST', `/cases/${this.caseId}/tasks/${t.taskId}/followup`, { data });
  }

  /** A backlog application: typed in today with its receipt date, screened at once or left waiting. */
  async runBacklog(b: DemoBacklogPlan): Promise<{ status: string; step: string; outcome: string | null; openTasks: string[] }> {
    const started = await this.api.call(this.caseworker, 'POST', '/cases', { programme: 'cataract', personId: b.person.id, receivedAt: b.receivedAt }, [201]);
    this.caseId = started.caseId;
    this.caseNo = started.caseNo;
    if (!b.screened) {
      await this.openTask(this.township1, 'screening');
      return this.state();
    }
    await this.act(this.township1, 'screening', { action: 'submit', data: { suitable: true, eye: this.eye, uncorrectedAcuity: ACUITY_BEFORE[b.n % ACUITY_BEFORE.length] } });
    await this.openTask(this.caseworker, 'hospital_choice');
    return this.state();
  }

  async run(): Promise<{ status: string; step: string; outcome: string | null; openTasks: string[] }> {
    const { p } = this;
    const target = p.target;
    const started = await this.api.call(this.caseworker, 'POST', '/cases', { programme: 'cataract', personId: p.person.id, receivedAt: p.receivedAt }, [201]);
    this.caseId = started.caseId;
    this.caseNo = started.caseNo;
    if (target === 'registered') {
      await this.openTask(this.township1, 'screening'); // the campaign's screening has started
      return this.state();
    }

    // Screening in the village (recorded by the township officer).
    if (target === 'not_suitable') {
      await this.act(this.township1, 'screening', { action: 'submit', data: { suitable: false, reason: '晶状体轻度混浊，矫正视力0.5，暂不需手术，建议一年后复查 / early-stage opacity, surgery not indicated yet' } });
      return this.state();
    }
    await this.act(this.township1, 'screening', { action: 'submit', data: { suitable: true, eye: this.eye, uncorrectedAcuity: ACUITY_BEFORE[p.n % ACUITY_BEFORE.length] } });
    if (target === 'hospital_choice') return this.state();

    // Hospital choice by the village caseworker (a suspended hospital is refused, then another is chosen).
    const county = demoUnit(p.person.orgPath.split('/').filter(Boolean)[1]);
    if (p.triesSuspendedFirst) {
      await this.act(this.caseworker, 'hospital_choice', { action: 'submit', data: { partnerId: this.partner(`${county.slug}.hospital3`).id } });
    }
    await this.act(this.caseworker, 'hospital_choice', { action: 'submit', data: { partnerId: this.partner(p.hospital).id } });
    if (target === 'pre_op') return this.state();

    const doctor = p.hospital;
    if (target === 'contraindicated') {
      await this.act(doctor, 'pre_op_check', { action: 'submit', data: { fit: false, reason: '血压控制不佳（186/112 mmHg），暂缓手术，转内科治疗后再评估 / uncontrolled hypertension' } });
      return this.state();
    }
    await this.act(doctor, 'pre_op_check', { action: 'submit', data: { fit: true, eye: this.eye } });
    if (target === 'township_verify') return this.state();

    if (target === 'rejected' && p.rejectedBy === 'township') {
      await this.act(this.township2, 'township_verify', { action: 'reject', reason: '经入户核实，申请人已于本年度在外地自费完成该眼手术 / already operated elsewhere this year' });
      return this.state();
    }
    await this.act(this.township2, 'township_verify', { action: 'approve' });
    if (target === 'county_approval') return this.state();

    if (target === 'rejected') {
      await this.act(this.county1, 'county_approval', { action: 'reject', reason: '复核发现本次手术已由医保大病专项全额报销，不重复资助 / fully covered by another scheme' });
      return this.state();
    }
    if (p.returnedFirst) {
      await this.act(this.county1, 'county_approval', { action: 'return', reason: '请补充本人签字的手术知情同意书及户口簿复印件 / please add the signed consent form and hukou copy' });
      if (target === 'returned') return this.state();
      await this.act(this.township2, 'county_approval_supplement', { action: 'submit', data: { note: '已补充知情同意书及户口簿复印件 / consent form and hukou copy added' } });
    }
    await this.act(this.county1, 'county_approval', { action: 'approve' });
    if (target === 'surgery') return this.state();

    // A case that goes on to its phone follow-up was operated on 3 days ago: the phone follow-up
    // counts only from day 3 after surgery (day 3–5), an earlier call is refused.
    const surgeryDate = target === 'settlement' ? this.today : new Date(Date.parse(`${this.today}T00:00:00Z`) - 3 * 86_400_000).toISOString().slice(0, 10);
    await this.act(doctor, 'surgery', { action: 'submit', data: { surgeryDate, eye: this.eye, lensImplanted: true, lensType: 'IOL' } });
    if (target === 'settlement') return this.state();

    await this.act(this.county2, 'settlement', { action: 'submit', data: { amount: [1400, 1600, 1750, 1800, 1950, 2050][p.n % 6] } });
    const good = p.n % 5 !== 0; // now and then a weaker result, so the indicators are not all green
    await this.followUp(doctor, 'followup_day1', { reached: true, uncorrectedAcuity: good ? 0.3 : 0.1, correctedAcuity: good ? 0.4 : 0.15 });
    await this.followUp(doctor, 'followup_phone', { reached: true, uncorrectedAcuity: good ? 0.4 : 0.15, note: '电话随访，自述视物清晰 / phone call' });
    if (target === 'followups') return this.state();
    await this.followUp(doctor, 'followup_2w', { reached: true, uncorrectedAcuity: good ? 0.5 : 0.2, correctedAcuity: good ? 0.7 : 0.3 });
    await this.followUp(doctor, 'followup_3m', { reached: true, uncorrectedAcuity: good ? 0.6 : 0.25, correctedAcuity: good ? 0.8 : 0.4 });
    if (target === 'confirmation') return this.state();

    await this.act(this.township1, 'confirmation', { action: 'submit', data: { confirmed: true } });
    return this.state(true);
  }

  /** The case as the county officer sees it (waits for the archive when asked to). */
  private async state(untilClosed = false) {
    for (let i = 0; ; i++) {
      const d = await this.api.call(this.county1, 'GET', `/cases/${this.caseId}`);
      if (!untilClosed || d.case.status === 'closed' || i > 100) {
        const open = (d.tasks ?? []).filter((t: any) => t.status === 'open').map((t: any) => String(t.step)).sort();
        return { status: d.case.status, step: d.case.step, outcome: d.case.outcome ?? null, openTasks: open as string[] };
      }
      await sleep(200);
    }
  }
}

// ---- entry point -------------------------------------------------------------------------------

export interface DemoCasesResult {
  skipped: boolean;
  created: number;
  /** "open:<open task steps>" (e.g. open:screening, open:followup_2w+followup_3m) or "closed:<outcome>" → count. */
  states: Record<string, number>;
  /** The backlog of paper applications (planDemoBacklog): open tasks → count, like `states`. */
  backlog: Record<string, number>;
  failures: string[];
}

/**
 * Drives the planned demo cases through the api at `apiBaseUrl`. Skips everything when the city
 * manager already sees a case (so it runs once per database). A case that fails is reported in
 * `failures` and the others go on.
 */
export async function seedDemoCases(
  apiBaseUrl: string,
  opts: { concurrency?: number; log?: (m: string) => void; limit?: number } = {},
): Promise<DemoCasesResult> {
  const log = opts.log ?? (() => undefined);
  const api = new DemoApi(apiBaseUrl.replace(/\/+$/, ''));
  const manager = `${demoUnit(DEMO_CITY_CODE).slug}.manager`;
  const existing = await api.call(manager, 'GET', '/cases?limit=1').catch((e: unknown) => {
    if (e instanceof DemoApiError) throw e;
    throw new Error(`cannot reach the api at ${apiBaseUrl}: ${e instanceof Error ? e.message : String(e)}`);
  });
  if (existing?.items?.length) {
    log('demo cases: the demo city already has cases; nothing to do');
    return { skipped: true, created: 0, states: {}, backlog: {}, failures: [] };
  }

  const today = shanghaiToday();
  const plans = planDemoCases().slice(0, opts.limit);
  const result: DemoCasesResult = { skipped: false, created: 0, states: {}, backlog: {}, failures: [] };
  let next = 0;
  const worker = async () => {
    while (next < plans.length) {
      const plan = plans[next++];
      const d = new CaseDriver(api, plan, today);
      try {
        const s = await d.run();
        result.created++;
        // Open cases by their open tasks (settlement and follow-ups run side by side).
        const key = s.status === 'closed' ? `closed:${s.outcome}` : `open:${s.openTasks.join('+') || s.step}`;
        result.states[key] = (result.states[key] ?? 0) + 1;
        log(`demo case ${d.caseNo} (${plan.person.name}) → ${key}`);
      } catch (e) {
        if (d.caseId) result.created++;
        result.failures.push(`${plan.target} for ${plan.person.name}${d.caseNo ? ` (${d.caseNo})` : ''}: ${e instanceof Error ? e.message : String(e)}`);
        log(`demo case for ${plan.person.name} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));
  // The backlog of paper applications received 5–20 working days ago (after the plan above: its
  // people are the ones the plan leaves). The driver needs only the person (village, township).
  const backlog = opts.limit === undefined ? planDemoBacklog(today) : [];
  let nb = 0;
  const backlogWorker = async () => {
    while (nb < backlog.length) {
      const b = backlog[nb++];
      const d = new CaseDriver(api, { person: b.person, n: b.n } as DemoCasePlan, today);
      try {
        const s = await d.runBacklog(b);
        result.created++;
        const key = `open:${s.openTasks.join('+') || s.step}`;
        result.backlog[key] = (result.backlog[key] ?? 0) + 1;
        log(`demo backlog case ${d.caseNo} (${b.person.name}, received ${b.receivedAt}) → ${key}`);
      } catch (e) {
        if (d.caseId) result.created++;
        result.failures.push(`backlog for ${b.person.name}${d.caseNo ? ` (${d.caseNo})` : ''}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, backlogWorker));
  result.failures.push(...(await seedDemoTraining(apiBaseUrl, { log })).failures); // training cohorts (培训就业)
  result.failures.push(...(await seedDemoChildCases(apiBaseUrl, { log })).failures); // child rehabilitation (残疾儿童康复救助)
  return result;
}
