/**
 * Child rescue rehabilitation (残疾儿童康复救助), one service year per run: county review (with
 * returns for missing documents), a place at the chosen designated institution (or its waitlist,
 * woken by the `placeFreed` Signal when another child's agreement ends), intake assessment,
 * monthly progress records, end-of-period assessment, bills checked against the approved amounts
 * and paid, and before the year ends a renewal. A continuing child goes on into the next year
 * with continue-as-new (its state carried); a child who ages out is closed at the year's end.
 * Switching institution (Update `switchInstitution`) ends the current agreement and needs the
 * county's re-approval; the history stays on the case.
 */
import { allHandlersFinished, condition, continueAsNew, getExternalWorkflowHandle, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { ChildRehabActivities } from '../../../activities/types';
import { CaseErrors } from '../../contracts/case';
import {
  type ChildRehabCarry,
  type ChildRehabCaseInput,
  type ChildRehabOutcome,
  type Diagnosis,
  placeFreedSignal,
  REHAB_SERVICE,
  type RehabInstitution,
  type RehabItem,
  type SwitchInstitutionInput,
  switchInstitutionUpdate,
  type YearSummary,
} from '../../contracts/child-rehab';
import { CaseRuntime, type TaskResult } from '../../lib/case-runtime';
import { refuse } from '../../lib/errors';
import { approvalWithReturns, humanTask } from '../../lib/human-task';
import { inScope } from '../../lib/routing';
import { agesOutIn, categoryZh, diagnosisExpiry, itemZh, validDiagnosis } from './eligibility';
import { approvedBudget, rehabClock } from './steps';

const acts = proxyActivities<ChildRehabActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

const SWITCHED: unique symbol = Symbol('switched');
const REGISTRARS = ['village_caseworker', 'township_officer', 'county_officer'];
const isDate = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v));
const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);
const isInt = (v: unknown, min: number, max: number) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const nonEmpty = (v: unknown) => (typeof v === 'string' && v.trim().length > 0) || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x.trim()));
const yuan = (n: number) => Math.round(n * 100) / 100;

type Phase = 'review' | 'placement' | 'waitlisted' | 'training' | 'busy' | 'done';

export async function childRehabCaseWorkflow(input: ChildRehabCaseInput): Promise<{ outcome: ChildRehabOutcome }> {
  const s = input.settings;
  const app = input.application;
  const carry = input.resume;
  const clock = rehabClock(s.rules);
  const maxAge = num(s.rules.maxAge, 7);
  const maxMonths = num(s.rules.maxMonthsPerYear, 10);
  const validYears = (s.rules.diagnosisValidYears as { vision: number; other: number } | undefined) ?? { vision: 1, other: 3 };
  const billing = s.rules.billing === 'monthly' ? 'monthly' : 'period';
  const year = input.year;

  const rt = new CaseRuntime({
    caseId: input.caseId,
    caseNo: input.caseNo,
    programme: 'child_rehab',
    personId: input.personId,
    orgUnitCode: input.orgUnitCode,
    orgPath: input.orgPath,
    ruleVersion: s.version,
    createdBy: input.openedBy.id,
    openedAt: carry?.openedAt ?? new Date().toISOString(),
    receivedAt: carry ? null : input.receivedAt,
    resume: carry?.runtime,
  });
  rt.install();

  // ---- state of this year ----------------------------------------------------------------------
  let phase: Phase = 'review';
  let placedAt: RehabInstitution | null = carry?.placedAt ?? null;
  let agreementKey: string | null = carry?.agreementKey ?? null;
  let waitlistedAt: RehabInstitution | null = carry?.waitlistedAt ?? null;
  let diagnosis: Diagnosis | null = carry?.diagnosis ?? app.diagnosis;
  const yearsServed: YearSummary[] = [...(carry?.yearsServed ?? [])];
  let switchReq: SwitchInstitutionInput | null = null;
  let freed = false;
  let announcedWait: string | null = null; // the institution this run has shown the child waiting for
  let placements = 0;
  let payments = 0;
  let monthsThisYear = 0;
  let stayMonths = 0;
  let effectiveThisYear: boolean | null = null;
  const institutionsThisYear: string[] = [];
  const budget = approvedBudget(s.amounts, app.category, app.needs);
  const committed: Partial<Record<RehabItem, number>> = {};
  const paid: Partial<Record<RehabItem, number>> = {};
  const background: Promise<void>[] = [];
  const yearStart = Date.now();
  const yearEnd = clock.yearEnd(year, yearStart);
  const outOfArea = (inst: RehabInstitution) => !!inst.orgPath && !input.orgPath.startsWith(inst.orgPath);

  setHandler(placeFreedSignal, ({ partnerId }) => {
    if (waitlistedAt?.id === partnerId) freed = true;
  });
  setHandler(
    switchInstitutionUpdate,
    async (req) => {
      switchReq = req;
      await condition(() => switchReq === null);
      await rt.drain();
      return rt.view();
    },
    {
      validator: (req) => {
        if (!req || typeof req !== 'object' || !req.actor?.id || typeof req.institution?.id !== 'string') refuse(CaseErrors.INVALID_DECISION, '转机构请求格式不正确 / malformed switch');
        if (rt.row.status === 'closed') refuse(CaseErrors.CASE_CLOSED, '该案件已结案 / the case is closed');
        if (!REGISTRARS.includes(req.actor.role) || !inScope(req.actor.orgPath, rt.row.orgPath)) refuse(CaseErrors.FOREIGN_TASK, '只有儿童所在辖区的工作人员可以转机构 / only staff in the child’s area may switch the institution');
        if (!req.reason?.trim()) refuse(CaseErrors.INVALID_DECISION, '转机构须填写原因 / a reason is required to switch');
        if (switchReq || (phase !== 'training' && phase !== 'waitlisted')) {
          refuse(CaseErrors.INVALID_DECISION, `转机构须在训练或候补期间提出（当前：${rt.row.step}） / a switch is possible while waitlisted or in training (now: ${rt.row.step})`);
        }
        const current = placedAt ?? waitlistedAt;
        if (current?.id === req.institution.id) refuse(CaseErrors.INVALID_DECISION, '儿童已在该机构 / the child is already with this institution');
      },
    },
  );

  const finish = async (outcome: ChildRehabOutcome, reason?: string) => {
    rt.close(outcome, reason);
    await rt.drain();
    return { outcome };
  };

  /** Races a step against a switch request; a switched step's promise is left to fail quietly. */
  async function untilSwitch<T>(p: Promise<T>): Promise<T | typeof SWITCHED> {
    p.catch(() => undefined);
    const stop: Promise<typeof SWITCHED> = condition(() => switchReq !== null).then(() => SWITCHED);
    return Promise.race([p, stop]);
  }

  /** Cancels the open tasks of an institution's stay (a switch ends them). */
  function cancelStayTasks(partnerId: string) {
    for (const t of rt.tasks.values()) {
      if (t.status === 'open' && t.partnerId === partnerId && ['intake_assessment', 'progress', 'end_assessment'].includes(t.step)) {
        t.status = 'cancelled';
        t.completedAt = rt.nowIso();
        rt.touchTask(t.id);
      }
    }
  }

  // ---- institutions: choice, approval, place, waitlist -----------------------------------------

  /** The caseworker picks another institution (the previous one refused), and the county approves it. */
  async function chooseInstitution(note: string): Promise<RehabInstitution> {
    for (;;) {
      phase = 'review';
      const c = await humanTask(rt, {
        step: 'institution_choice', kind: 'record', role: 'village_caseworker', level: 'village', setting: s.steps.institution_choice, note,
        validate: (d) => (typeof d.institutionId === 'string' && /^[0-9a-f-]{36}$/.test(d.institutionId) ? null : '请选择康复机构 / institutionId (the chosen institution) is required'),
      });
      const inst: RehabInstitution = { id: String(c.data!.institutionId), name: '', orgPath: '' };
      rt.lastActor = c.actor;
      const review = await approvalWithReturns(rt, { step: 'county_review', kind: 'approval', role: 'county_officer', level: 'county', setting: s.steps.county_review, note: 'new institution' });
      if (review.action === 'approve') return inst;
      rt.event({ type: 'institution_not_approved', step: 'county_review', reason: review.reason ?? null, data: { institutionId: inst.id } });
      note = review.reason ?? note;
    }
  }

  /** A place at `target`, or its waitlist until a place frees. */
  async function place(target: RehabInstitution): Promise<'placed' | 'switch' | 'year_end'> {
    for (;;) {
      phase = 'placement';
      await rt.drain();
      const key = `${input.caseId}:${year}:a${++placements}`;
      const res = await rt.track(
        acts.rehabPlace({
          caseId: input.caseId, personId: input.personId, orgPath: input.orgPath, partnerId: target.id, service: REHAB_SERVICE[app.category],
          category: app.category, priority: input.priority, year, agreementKey: key,
        }),
      );
      if (res.ok) {
        placedAt = { id: target.id, name: res.partnerName, orgPath: res.partnerOrgPath };
        agreementKey = key;
        waitlistedAt = null;
        rt.row.partnerId = target.id;
        rt.mergeData({ institution: { id: target.id, name: res.partnerName, outOfArea: outOfArea(placedAt) }, waitlist: null });
        rt.event({ type: 'placed', step: 'placement', data: { partnerId: target.id, name: res.partnerName, year, outOfArea: outOfArea(placedAt) } });
        return 'placed';
      }
      if (!res.waitlisted) {
        rt.event({ type: 'institution_refused', step: 'placement', reason: res.reason, data: { partnerId: target.id } });
        target = await chooseInstitution(res.reason);
        continue;
      }
      const first = announcedWait !== target.id;
      announcedWait = target.id;
      waitlistedAt = { id: target.id, name: res.partnerName, orgPath: res.partnerOrgPath };
      freed = false;
      rt.mergeData({ waitlist: { partnerId: target.id, name: res.partnerName, position: res.position } });
      if (first) {
        rt.setStep('waitlisted', 'partner');
        rt.event({ type: 'waitlisted', step: 'waitlisted', data: { partnerId: target.id, name: res.partnerName, position: res.position } });
      }
      phase = 'waitlisted';
      const left = yearEnd - Date.now();
      if (left <= 0) return 'year_end';
      await condition(() => freed || switchReq !== null, Math.max(1000, Math.min(clock.days(num(s.rules.waitlistRecheckDays, 7)), left)));
      if (switchReq) return 'switch';
      if (Date.now() >= yearEnd && !freed) return 'year_end';
      if (freed) rt.event({ type: 'place_freed', step: 'waitlisted', data: { partnerId: target.id } });
    }
  }

  /** Offers a freed place to the first child on the institution's waitlist (Signal to its case). */
  async function offerFreedPlace(partnerId: string) {
    const skip: string[] = [];
    for (let i = 0; i < 5; i++) {
      const next = await rt.track(acts.rehabNextWaiting({ partnerId, skip }));
      if (!next || next.caseId === input.caseId) return;
      try {
        await rt.track(getExternalWorkflowHandle(next.workflowId).signal(placeFreedSignal, { partnerId }));
        rt.event({ type: 'place_offered', step: rt.row.step, data: { partnerId, toCase: next.caseId } });
        return;
      } catch {
        skip.push(next.caseId); // its workflow is gone: try the next child
      }
    }
  }

  /** Ends the stay at the current institution: months recorded, place released and offered on. */
  async function endStay(reason: string, bill: boolean) {
    const inst = placedAt!;
    const key = agreementKey!;
    // An unfinished stay (a switch) records its months here; a finished one did at its end assessment.
    if (stayMonths > 0) await rt.track(acts.rehabRecordPeriod({ agreementKey: key, months: stayMonths, effective: null }));
    placedAt = null;
    agreementKey = null;
    rt.row.partnerId = null;
    rt.mergeData({ institution: null });
    rt.event({ type: 'agreement_ended', step: rt.row.step, reason, data: { partnerId: inst.id, name: inst.name, months: stayMonths } });
    await rt.drain();
    await rt.track(acts.rehabRelease({ caseId: input.caseId, partnerId: inst.id, agreementKey: key, reason }));
    await offerFreedPlace(inst.id);
    if (bill && stayMonths > 0 && billing === 'period') background.push(settle(inst, `${stayMonths} months`));
    stayMonths = 0;
  }

  /** A switch: leave the current place (or waitlist), then the county re-approves the new institution. */
  async function handleSwitch(): Promise<RehabInstitution> {
    const req = switchReq!;
    phase = 'busy';
    const from = placedAt ?? waitlistedAt;
    if (placedAt) {
      cancelStayTasks(placedAt.id);
      await endStay('switched', true);
    }
    if (waitlistedAt) {
      await rt.track(acts.rehabLeaveWaitlist({ caseId: input.caseId, partnerId: waitlistedAt.id }));
      waitlistedAt = null;
      rt.mergeData({ waitlist: null });
    }
    rt.event({ type: 'institution_switch_requested', step: rt.row.step, actor: req.actor, reason: req.reason, data: { from: from ? { id: from.id, name: from.name } : null, to: req.institution } });
    rt.lastActor = req.actor;
    phase = 'review';
    switchReq = null; // the Update returns once the review below is open and projected
    const review = await approvalWithReturns(rt, {
      step: 'county_review', kind: 'approval', role: 'county_officer', level: 'county', setting: s.steps.county_review,
      note: `转机构 / switch to ${req.institution.name || req.institution.id}: ${req.reason}`,
    });
    if (review.action === 'approve') {
      rt.event({ type: 'switch_approved', step: 'county_review', data: { to: req.institution } });
      return req.institution;
    }
    rt.event({ type: 'institution_not_approved', step: 'county_review', reason: review.reason ?? null, data: { institutionId: req.institution.id } });
    return chooseInstitution(review.reason ?? 'switch not approved');
  }

  // ---- one stay: intake, months, end assessment --------------------------------------------------

  async function stayAt(inst: RehabInstitution): Promise<'completed' | 'switch'> {
    phase = 'training';
    if (!institutionsThisYear.includes(inst.name)) institutionsThisYear.push(inst.name);
    const allowed = Math.min(maxMonths - monthsThisYear, clock.monthsLeft(Date.now(), yearEnd));
    if (allowed <= 0) {
      rt.event({ type: 'no_training_time_left', step: rt.row.step, data: { year, monthsThisYear } });
      return 'completed';
    }
    rt.mergeData({ period: { institution: inst.name, maxMonths: allowed, planned: null, months: 0 } });
    const intake = await untilSwitch(
      humanTask(rt, {
        step: 'intake_assessment', kind: 'record', partnerId: inst.id, setting: s.steps.intake_assessment, note: `≤ ${allowed} months`,
        validate: (d) => {
          if (!isDate(d.assessedOn)) return '请填写评估日期（YYYY-MM-DD） / assessedOn (YYYY-MM-DD) is required';
          if (!nonEmpty(d.goals)) return '请填写训练目标 / goals (the training goals) are required';
          if (!isInt(d.plannedMonths, 1, allowed)) return `计划月数须为 1 至 ${allowed} 的整数（每年最多 ${maxMonths} 个月） / plannedMonths must be a whole number from 1 to ${allowed} (at most ${maxMonths} months a year)`;
          return null;
        },
      }),
    );
    if (intake === SWITCHED) return 'switch';
    const planned = intake.data!.plannedMonths as number;
    rt.mergeData({ period: { institution: inst.name, maxMonths: allowed, planned, months: 0, goals: intake.data!.goals } });
    rt.setStep('training', 'partner');
    const start = Date.now();
    const records: Promise<unknown>[] = [];
    for (let m = 1; m <= planned; m++) {
      const stop = await condition(() => switchReq !== null, Math.max(1, clock.monthEnd(start, m) - Date.now()));
      if (stop) return 'switch';
      stayMonths++;
      monthsThisYear++;
      rt.mergeData({ period: { ...(rt.row.data.period as object), months: stayMonths }, monthsThisYear });
      const month = m;
      const p = humanTask(rt, {
        step: 'progress', kind: 'record', partnerId: inst.id, setting: s.steps.progress, keepCaseStep: true, note: `month ${month}/${planned}`,
        validate: (d) => {
          if (!isInt(d.attendanceDays, 0, 31)) return '请填写出勤天数（0–31） / attendanceDays (0–31) is required';
          if (!nonEmpty(d.goals)) return '请填写训练目标进展 / goals (progress on the training goals) is required';
          return null;
        },
      }).then((r) => {
        if (billing === 'monthly') background.push(settle(inst, `month ${month}`));
        return r;
      });
      p.catch(() => undefined);
      records.push(p);
    }
    if ((await untilSwitch(Promise.all(records))) === SWITCHED) return 'switch';
    const end = await untilSwitch(
      humanTask(rt, {
        step: 'end_assessment', kind: 'record', partnerId: inst.id, setting: s.steps.end_assessment,
        validate: (d) => {
          if (!isDate(d.assessedOn)) return '请填写评估日期（YYYY-MM-DD） / assessedOn (YYYY-MM-DD) is required';
          if (typeof d.effective !== 'boolean') return '请选择训练是否有效 / effective (true/false) is required';
          return null;
        },
      }),
    );
    if (end === SWITCHED) return 'switch';
    phase = 'busy'; // the stay is over: no switch until next year (the renewal may choose another institution)
    effectiveThisYear = end.data!.effective as boolean;
    rt.event({ type: 'period_assessed', step: 'end_assessment', data: { institution: inst.name, months: stayMonths, effective: effectiveThisYear } });
    await rt.track(acts.rehabRecordPeriod({ agreementKey: agreementKey!, months: stayMonths, effective: effectiveThisYear }));
    if (billing === 'period') background.push(settle(inst, `${stayMonths} months`));
    stayMonths = 0;
    return 'completed';
  }

  // ---- settlement --------------------------------------------------------------------------------

  const remaining = (item: RehabItem) => yuan((budget[item] ?? 0) - (committed[item] ?? 0));
  /** Bills and claims under the county's check per item (committed, not yet paid): the service year's "pending". */
  const projectPending = () =>
    rt.mergeData({
      pending: Object.fromEntries(
        (Object.keys(committed) as RehabItem[]).map((k) => [k, yuan((committed[k] ?? 0) - (paid[k] ?? 0))] as const).filter(([, v]) => v > 0),
      ),
    });

  /** The institution bills; a bill over what is left of the approved amount is refused with the reason; the county checks; paid. */
  async function settle(inst: RehabInstitution, what: string): Promise<void> {
    if (outOfArea(inst)) return reimburseFamily(inst, what);
    let note = `${inst.name}: ${what}`;
    for (;;) {
      const bill = await humanTask(rt, {
        step: 'bill', kind: 'record', partnerId: inst.id, setting: s.steps.bill, keepCaseStep: true, note,
        validate: (d) => {
          const item = (d.item ?? 'training') as RehabItem;
          if (!(item in budget)) return `该儿童未核定“${itemZh(item)}”项目（已核定：${Object.keys(budget).map(itemZh).join('、')}） / item ${String(item)} is not approved for this child (approved: ${Object.keys(budget).join(', ')})`;
          if (typeof d.amount !== 'number' || !Number.isFinite(d.amount) || d.amount <= 0) return '请填写金额（元，大于 0） / amount (yuan, > 0) is required';
          return null;
        },
      });
      const item = ((bill.data!.item as RehabItem | undefined) ?? 'training') as RehabItem;
      const amount = yuan(bill.data!.amount as number);
      const left = remaining(item);
      if (amount > left) {
        note = `超出核定金额：${itemZh(item)}核定 ${budget[item]} 元，剩余 ${left} 元，本次申请 ${amount} 元 / over the approved amount: ${item} approved ${budget[item]}, ${left} left, billed ${amount}`;
        rt.event({ type: 'bill_refused', step: 'bill', reason: note, data: { partnerId: inst.id, item, amount, approved: budget[item] ?? 0, remaining: left } });
        continue;
      }
      const refused = await check(inst, bill, item, amount, 'institution');
      if (refused === null) return;
      note = refused;
    }
  }

  /** Out-of-area treatment: the family paid the institution and claims back at the home area's rate. */
  async function reimburseFamily(inst: RehabInstitution, what: string): Promise<void> {
    let note = `异地康复，家庭先行垫付，按户籍地标准报销 / out of area: the family claims back at the home rate (${inst.name}: ${what})`;
    for (;;) {
      const claim = await humanTask(rt, {
        step: 'reimbursement_claim', kind: 'record', role: 'village_caseworker', level: 'village', setting: s.steps.reimbursement_claim, keepCaseStep: true, note,
        validate: (d) => {
          const item = (d.item ?? 'training') as RehabItem;
          if (!(item in budget)) return `该儿童未核定“${itemZh(item)}”项目（已核定：${Object.keys(budget).map(itemZh).join('、')}） / item ${String(item)} is not approved for this child (approved: ${Object.keys(budget).join(', ')})`;
          if (typeof d.amountPaid !== 'number' || !Number.isFinite(d.amountPaid) || d.amountPaid <= 0) return '请填写家庭已付金额（元，大于 0） / amountPaid (yuan the family paid, > 0) is required';
          if (!nonEmpty(d.receiptNo)) return '请填写收据号 / receiptNo is required';
          return null;
        },
      });
      const item = ((claim.data!.item as RehabItem | undefined) ?? 'training') as RehabItem;
      const amount = Math.min(yuan(claim.data!.amountPaid as number), remaining(item));
      rt.event({ type: 'reimbursement_assessed', step: 'reimbursement_claim', data: { item, paidByFamily: claim.data!.amountPaid, homeRate: budget[item] ?? 0, reimbursed: amount } });
      if (amount <= 0) return;
      const refused = await check(inst, claim, item, amount, 'family');
      if (refused === null) return;
      note = refused;
    }
  }

  /** County check of a bill or claim (four-eyes: not the officer who approved the child); approved → a payment, null. Refused → the reason. */
  async function check(inst: RehabInstitution, submitted: TaskResult, item: RehabItem, amount: number, payee: 'institution' | 'family'): Promise<string | null> {
    committed[item] = yuan((committed[item] ?? 0) + amount);
    projectPending();
    rt.lastActor = submitted.actor;
    const r = await approvalWithReturns(rt, {
      step: 'settlement_check', kind: 'approval', role: 'county_officer', level: 'county', setting: s.steps.settlement_check, keepCaseStep: true,
      note: `${payee === 'family' ? '报销家庭' : inst.name} ${itemZh(item)} ${amount} 元`,
    });
    if (r.action !== 'approve') {
      committed[item] = yuan((committed[item] ?? 0) - amount);
      projectPending();
      rt.event({ type: 'settlement_refused', step: 'settlement_check', reason: r.reason ?? null, data: { item, amount, payee } });
      return r.reason ?? 'refused';
    }
    const key = `${input.caseId}:${year}:p${++payments}`;
    await rt.track(
      acts.recordPayment({
        key, caseId: input.caseId, programme: 'child_rehab', personId: input.personId, orgPath: input.orgPath, partnerId: inst.id, payeeKind: payee,
        item, amount, year, approvedBy: r.actor.id, reference: typeof submitted.data?.invoiceNo === 'string' ? submitted.data.invoiceNo : ((submitted.data?.receiptNo as string | undefined) ?? null),
      }),
    );
    paid[item] = yuan((paid[item] ?? 0) + amount);
    rt.mergeData({ paid: { ...paid } });
    projectPending();
    rt.event({ type: 'payment_recorded', step: 'settlement_check', actor: r.actor, data: { key, item, amount, payee, partnerId: inst.id } });
    return null;
  }

  // ---- renewal -------------------------------------------------------------------------------------

  type Renewal = { decision: 'continue'; institutionId: string | null } | { decision: 'aged_out' | 'withdrawn' | 'not_renewed'; reason: string };

  async function renewal(): Promise<Renewal> {
    const next = year + 1;
    const outYear = agesOutIn(input.birthDate, maxAge);
    if (next >= outYear) return { decision: 'aged_out', reason: `${next}-01-01 时已满 ${maxAge} 周岁 / ${maxAge} or older on ${next}-01-01` };
    const opensAt = yearEnd - clock.days(num(s.rules.renewalLeadDays, 30));
    if (opensAt > Date.now()) await sleep(opensAt - Date.now());
    const needsDiagnosis = () => !app.certificateNo && (!diagnosis || diagnosisExpiry(diagnosis, validYears) < `${next}-01-01`);
    const r = await humanTask(rt, {
      step: 'renewal', kind: 'record', role: 'village_caseworker', level: 'village', setting: s.steps.renewal, keepCaseStep: true,
      note: needsDiagnosis() ? `${next} 年续期，须提供新的诊断 / renewal for ${next}: a new diagnosis is needed` : `${next} 年续期 / renewal for ${next}`,
      validate: (d) => {
        if (typeof d.continue !== 'boolean') return '请选择是否继续 / continue (true/false) is required';
        if (!d.continue) return nonEmpty(d.reason) ? null : '家庭不再继续时须填写原因 / reason is required when the family does not continue';
        if (d.institutionId !== undefined && !(typeof d.institutionId === 'string' && /^[0-9a-f-]{36}$/.test(d.institutionId))) return '康复机构编号无效 / institutionId must be an institution id';
        if (d.diagnosis !== undefined || needsDiagnosis()) {
          if (!validDiagnosis(d.diagnosis) || d.diagnosis.category !== app.category) return `请提供新的${categoryZh(app.category)}诊断（医院、日期；现有诊断在 ${next} 年前到期） / diagnosis {hospital, date, category: ${app.category}} is required (the current one expires before ${next})`;
          if (diagnosisExpiry(d.diagnosis, validYears) < `${next}-01-01`) return `${d.diagnosis.date} 的诊断于 ${diagnosisExpiry(d.diagnosis, validYears)} 到期，早于 ${next} 年 / the diagnosis of ${d.diagnosis.date} expires on ${diagnosisExpiry(d.diagnosis, validYears)}, before ${next}`;
        }
        return null;
      },
    });
    if (!r.data!.continue) return { decision: 'withdrawn', reason: String(r.data!.reason) };
    if (r.data!.diagnosis) {
      diagnosis = r.data!.diagnosis as Diagnosis;
      rt.mergeData({ diagnosis });
    }
    rt.lastActor = r.actor;
    const review = await approvalWithReturns(rt, {
      step: 'county_review', kind: 'approval', role: 'county_officer', level: 'county', setting: s.steps.county_review, keepCaseStep: true,
      note: `${next} 年续期 / renewal for ${next}`,
    });
    if (review.action !== 'approve') return { decision: 'not_renewed', reason: review.reason ?? 'not renewed' };
    rt.event({ type: 'renewal_approved', step: 'county_review', data: { year: next } });
    return { decision: 'continue', institutionId: (r.data!.institutionId as string | undefined) ?? null };
  }

  // ---- the year ------------------------------------------------------------------------------------

  let target: RehabInstitution | null;
  if (!carry) {
    rt.mergeData({
      category: app.category, needs: app.needs, priority: input.priority, priorityGroups: app.priorityGroups, residence: app.residence,
      guardian: app.guardian.name, agent: app.agent?.name ?? null, evidence: app.certificateNo ? 'certificate' : 'diagnosis', diagnosis,
      chosenInstitution: { id: app.institution.id, name: app.institution.name }, year,
    });
    rt.event({ type: 'case_opened', step: 'registered', actor: input.openedBy, data: { category: app.category, priority: input.priority, institution: app.institution.name, year } });
    rt.lastActor = input.openedBy; // a return for missing documents goes back to the registrar
    const review = await approvalWithReturns(rt, { step: 'county_review', kind: 'approval', role: 'county_officer', level: 'county', setting: s.steps.county_review, note: `${year} 年申请 / application for ${year}` });
    if (review.action !== 'approve') return finish('rejected', review.reason);
    target = app.institution;
  } else {
    target = placedAt ? null : (waitlistedAt ?? app.institution);
    rt.event({ type: 'year_started', step: rt.row.step, data: { year, institution: placedAt?.name ?? null, waitlisted: waitlistedAt?.name ?? null } });
  }
  rt.mergeData({ year, budget, paid: {}, pending: {}, monthsThisYear: 0, period: null });
  rt.event({ type: 'year_budget', step: rt.row.step, data: { year, budget } });

  const renewing = renewal();
  renewing.catch(() => undefined);

  // Placement and training (switches may interrupt), until the year's training is done or the year ends.
  for (;;) {
    if (!placedAt) {
      const r = await place(target!);
      if (r === 'switch') {
        target = await handleSwitch();
        continue;
      }
      if (r === 'year_end') break;
    }
    if (monthsThisYear >= maxMonths) break;
    const stay = await stayAt(placedAt!);
    if (stay === 'switch') {
      target = await handleSwitch();
      continue;
    }
    break;
  }
  phase = 'done';
  if (placedAt || waitlistedAt) rt.setStep(placedAt ? 'period_done' : 'waitlisted', background.length ? 'staff' : 'timer');

  await Promise.all(background);
  const decision = await renewing;
  const total = yuan(Object.values(paid).reduce((a, b) => a + (b ?? 0), 0));
  const summary: YearSummary = { year, institutions: institutionsThisYear, months: monthsThisYear, effective: effectiveThisYear, paid: total };
  yearsServed.push(summary);
  rt.mergeData({ yearsServed: [...yearsServed] });
  if (Date.now() < yearEnd) {
    rt.setStep('year_end', 'timer');
    rt.event({ type: 'year_done', step: 'year_end', data: { ...summary, next: decision.decision } });
    await sleep(yearEnd - Date.now());
  }

  if (decision.decision === 'continue') {
    phase = 'busy';
    const stays = !!placedAt && (!decision.institutionId || decision.institutionId === placedAt.id);
    if (placedAt && stays) {
      const toKey = `${input.caseId}:${year + 1}:renewal`;
      await rt.track(acts.rehabRenewAgreement({ fromKey: agreementKey!, toKey, year: year + 1 }));
      agreementKey = toKey;
    } else if (placedAt) {
      await endStay('year_end', false);
    }
    if (decision.institutionId && decision.institutionId !== placedAt?.id && decision.institutionId !== waitlistedAt?.id) {
      if (waitlistedAt) await rt.track(acts.rehabLeaveWaitlist({ caseId: input.caseId, partnerId: waitlistedAt.id }));
      waitlistedAt = { id: decision.institutionId, name: '', orgPath: '' }; // placed (or waitlisted) there next year
    }
    rt.setStep('next_year', 'timer');
    rt.event({ type: 'year_closed', step: 'next_year', data: { ...summary, nextYear: year + 1 } });
    await rt.drain();
    await condition(allHandlersFinished);
    const next: ChildRehabCarry = { runtime: rt.carry(), openedAt: rt.row.openedAt, placedAt, agreementKey, waitlistedAt, diagnosis, yearsServed };
    return continueAsNew<typeof childRehabCaseWorkflow>({ ...input, year: year + 1, resume: next });
  }

  // The case closes at the year's end: the place goes to the next child waiting.
  phase = 'busy';
  if (placedAt) await endStay('case_closed', false);
  if (waitlistedAt) await rt.track(acts.rehabLeaveWaitlist({ caseId: input.caseId, partnerId: null }));
  const served = yearsServed.filter((y) => y.months > 0);
  rt.mergeData({
    outcomeSummary: {
      years: served.length,
      months: served.reduce((a, y) => a + y.months, 0),
      effectiveYears: served.filter((y) => y.effective === true).length,
      paid: yuan(yearsServed.reduce((a, y) => a + y.paid, 0)),
    },
  });
  return finish(decision.decision, decision.reason);
}
