/**
 * The whole training → placement case, from enrolment to 12 months of retention. Read top to
 * bottom: each `humanTask` is a step someone must do, with its time limit, reminders and escalation.
 * Course places, the waitlist and placements are written to their read models by activities
 * (activities/training.ts), so reports, the quota view and the institution payment read Postgres.
 */
import { condition, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { CaseActivities, PlacementRow, TrainingActivities } from '../../../activities/types';
import type {
  AssessmentRecord,
  AttendanceRecord,
  ContractRecord,
  JobMatchRecord,
  OfferResponseRecord,
  RetentionRecord,
  TrainingCaseInput,
  TrainingOutcome,
} from '../../contracts/training';
import { coursePlaceOfferedSignal } from '../../contracts/training';
import { stepLabel } from '../../contracts/step-labels';
import { CaseRuntime } from '../../lib/case-runtime';
import { followUpVisit } from '../../lib/follow-up';
import { approvalWithReturns, humanTask } from '../../lib/human-task';
import type { FollowUpSetting } from '../../lib/settings';
import { quotaCounting } from './placement';
import {
  addDays,
  attendancePeriods,
  CERTIFICATE_LEVELS,
  hoursLimits,
  isDate,
  PLACEMENT_CHANNELS,
  shanghaiDayOf,
  shanghaiMidnight,
  trainingRules,
} from './steps';

const { computeDue } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
const act = proxyActivities<TrainingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const round1 = (x: number) => Math.round(x * 10) / 10;
const text = (v: unknown, max = 500) => typeof v === 'string' && v.trim().length > 0 && v.length <= max;
const isMoney = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 10_000_000;
const today = () => shanghaiDayOf(Date.now());
const CERTIFICATE_LEVEL_ZH: Record<(typeof CERTIFICATE_LEVELS)[number], string> = {
  special: '专项能力', level5: '五级', level4: '四级', level3: '三级', level2: '二级', level1: '一级',
};
const CHANNEL_ZH: Record<(typeof PLACEMENT_CHANNELS)[number], string> = { quota_employer: '按比例安排就业', public_welfare: '公益性岗位', self_employment: '自主创业' };

// ---- record validators (run in the Update validator: a refusal leaves nothing recorded) --------

function validateAttendance(d: Record<string, unknown>, maxHours: number, lastDay?: string): string | null {
  const h = d.hours;
  if (typeof h !== 'number' || !Number.isFinite(h) || h < 0) return '请填写本期出勤课时（≥ 0） / hours (attended in this period, ≥ 0) is required';
  if (h > maxHours + 1e-9) return `课时最多 ${round1(Math.max(0, maxHours))}：学员课时不得超过课程课时的 110% / hours must be at most ${round1(Math.max(0, maxHours))}: a trainee may be recorded for the course hours plus 10 % at most`;
  if (d.dropOut !== undefined && typeof d.dropOut !== 'boolean') return '是否退学须为是或否 / dropOut must be true or false';
  if (d.dropOut === true && !text(d.reason)) return '退学须填写原因 / reason is required for a drop-out';
  if (d.dropOut !== true && lastDay && today() < lastDay) return `本期课时须在本期最后一天（${lastDay}）起登记；退学可随时登记 / the hours of this period can be recorded from its last day (${lastDay}) on; a drop-out at any time`;
  return null;
}

function validateAssessment(d: Record<string, unknown>): string | null {
  if (typeof d.passed !== 'boolean') return '请选择考核是否通过 / passed (true/false) is required';
  if (d.score !== undefined && !(typeof d.score === 'number' && d.score >= 0 && d.score <= 100)) return '成绩须在 0–100 之间 / score must be 0–100';
  if (d.certificate !== undefined && d.certificate !== null) {
    if (!d.passed) return '只有考核通过的学员才能登记证书 / a certificate can only be recorded for a trainee who passed';
    const c = d.certificate as Record<string, unknown>;
    if (typeof c !== 'object' || typeof c.number !== 'string' || !/^[A-Za-z0-9-]{4,40}$/.test(c.number)) return '请填写证书编号（4–40 位字母、数字或 -） / certificate.number (4–40 letters, digits or -) is required';
    if (!(CERTIFICATE_LEVELS as readonly string[]).includes(String(c.level))) return `证书等级须为${CERTIFICATE_LEVELS.map((l) => CERTIFICATE_LEVEL_ZH[l]).join('、')}之一 / certificate.level must be one of ${CERTIFICATE_LEVELS.join(', ')}`;
  }
  return null;
}

function validateStart(v: unknown): string | null {
  if (!isDate(v)) return '请填写上岗日期（YYYY-MM-DD） / startDate (YYYY-MM-DD) is required';
  if (v > addDays(today(), 60)) return '上岗日期最多可在 60 天后 / startDate may be at most 60 days ahead';
  return null;
}

function validateMatch(d: Record<string, unknown>, supportMax: number): string | null {
  const ch = d.channel;
  if (ch !== 'none' && !(PLACEMENT_CHANNELS as readonly string[]).includes(String(ch))) return `安置渠道须为${PLACEMENT_CHANNELS.map((c) => CHANNEL_ZH[c]).join('、')}或无法安置 / channel must be one of ${PLACEMENT_CHANNELS.join(', ')} or none`;
  if (ch === 'none') return text(d.reason) ? null : '无法安置时须填写原因 / reason is required when no placement is possible';
  if (d.monthlyPay !== undefined && !isMoney(d.monthlyPay)) return '月工资须为金额（元） / monthlyPay must be a number of yuan';
  if (ch === 'quota_employer') {
    if (typeof d.employerId !== 'string' || !UUID.test(d.employerId)) return '请选择用人单位 / employerId (the employer partner) is required';
    if (d.positionId !== undefined && (typeof d.positionId !== 'string' || !UUID.test(d.positionId))) return '岗位编号无效 / positionId must be a position id';
    return null;
  }
  if (ch === 'public_welfare') {
    if (!text(d.postName, 120)) return '请填写公益性岗位名称 / postName (the public-welfare post) is required';
    return validateStart(d.startDate);
  }
  if (!text(d.businessName, 120)) return '自主创业须填写经营名称 / businessName is required for self-employment';
  if (typeof d.businessLicence !== 'string' || !/^[A-Za-z0-9-]{6,40}$/.test(d.businessLicence)) return '请填写营业执照号（6–40 位字母或数字） / businessLicence (6–40 letters or digits) is required';
  if (!isMoney(d.supportAmount) || (d.supportAmount as number) > supportMax) return `扶持金额须在 0–${supportMax} 元之间 / supportAmount must be 0–${supportMax} yuan`;
  return validateStart(d.startDate);
}

function validateResponse(d: Record<string, unknown>): string | null {
  if (typeof d.accepted !== 'boolean') return '请选择是否接受推荐 / accepted (true/false) is required';
  if (!d.accepted && !text(d.reason)) return '不接受推荐时须填写原因 / reason is required when the offer is refused';
  return null;
}

function validateContract(d: Record<string, unknown>): string | null {
  if (typeof d.signed !== 'boolean') return '请选择是否签订合同 / signed (true/false) is required';
  if (!d.signed) return text(d.reason) ? null : '未签合同时须填写原因 / reason is required when no contract is signed';
  const s = validateStart(d.startDate);
  if (s) return s;
  if (!(Number.isInteger(d.contractMonths) && (d.contractMonths as number) >= 1 && (d.contractMonths as number) <= 120)) return '请填写合同期限（1–120 个月） / contractMonths (1–120) is required';
  if (!isMoney(d.monthlyPay) || (d.monthlyPay as number) <= 0) return '请填写月工资（元） / monthlyPay (yuan per month) is required';
  if (typeof d.socialInsurance !== 'boolean') return '请选择是否缴纳社会保险 / socialInsurance (true/false) is required';
  return null;
}

/** "Still employed" only from the visit's window on; a lost job may be reported at any time. */
function validateRetention(d: Record<string, unknown>, startDate: string, f: FollowUpSetting): string | null {
  if (typeof d.employed !== 'boolean') return '请选择是否仍在岗 / employed (true/false) is required';
  if (d.employed) {
    const from = addDays(startDate, f.windowFromDays ?? Math.max(0, f.dueAfterDays - 14));
    if (today() < from) return `“${stepLabel(f.step)}”的在岗情况须在 ${from} 起确认 / employment for ${f.step} can be confirmed from ${from} on`;
    if (d.monthlyPay !== undefined && !isMoney(d.monthlyPay)) return '月工资须为金额（元） / monthlyPay must be a number of yuan';
    return null;
  }
  if (!isDate(d.lostOn) || d.lostOn < startDate || d.lostOn > today()) return `失业时须填写离岗日期（YYYY-MM-DD，${startDate} 至今天） / lostOn (YYYY-MM-DD, from ${startDate} to today) is required when the job was lost`;
  if (!text(d.reason)) return '失业时须填写原因 / reason is required when the job was lost';
  return null;
}

// ---- the case ----------------------------------------------------------------------------------

export async function trainingCaseWorkflow(input: TrainingCaseInput): Promise<{ outcome: TrainingOutcome }> {
  const s = input.settings;
  const rules = trainingRules(s);
  const course = input.course;
  const rt = new CaseRuntime({
    caseId: input.caseId,
    caseNo: input.caseNo,
    programme: 'training',
    personId: input.personId,
    orgUnitCode: input.orgUnitCode,
    orgPath: input.orgPath,
    ruleVersion: s.version,
    createdBy: input.openedBy.id,
    openedAt: new Date().toISOString(),
    receivedAt: input.receivedAt,
  });
  rt.install();
  let placeOffered = false;
  setHandler(coursePlaceOfferedSignal, (sig) => {
    if (sig?.courseId === course.id) placeOffered = true;
  });
  // A "return for information" at county approval goes back to the recruiter.
  rt.lastActor = { ...input.openedBy };
  rt.mergeData({
    course: { id: course.id, name: course.name, type: course.type, institution: course.institutionName, startDate: course.startDate, endDate: course.endDate, hours: course.hours },
    education: input.applicant.education,
    selfCare: input.applicant.selfCare,
  });
  rt.event({ type: 'case_opened', step: 'registered', actor: input.openedBy, data: { course: course.name, institution: course.institutionName } });

  const at = () => rt.nowIso();
  const finish = async (outcome: TrainingOutcome, reason?: string) => {
    rt.close(outcome, reason);
    await rt.drain();
    return { outcome };
  };
  const leaveCourse = async (status: 'dropped' | 'incomplete', outcome: TrainingOutcome, reason: string) => {
    await rt.track(act.releaseCoursePlace({ caseId: input.caseId, courseId: course.id, status, reason, at: at(), lateEntryDays: rules.lateEntryDays }));
    rt.event({ type: status === 'dropped' ? 'dropped_out' : 'training_incomplete', step: rt.row.step, reason });
    return finish(outcome, reason);
  };

  // 1. The county approves the enrolment (a return goes to the recruiter for more information).
  const approval = await approvalWithReturns(rt, { step: 'county_approval', kind: 'approval', role: 'county_officer', level: 'county', setting: s.steps.county_approval });
  if (approval.action !== 'approve') return finish('rejected', approval.reason);

  // 2. A place on the course, or the waitlist (in order; a drop-out's place moves the next one in).
  const place = await rt.track(
    act.reserveCoursePlace({ caseId: input.caseId, courseId: course.id, personId: input.personId, orgPath: input.orgPath, workflowId: workflowInfo().workflowId, at: at() }),
  );
  if (place.status === 'refused') return finish('course_unavailable', place.reason);
  if (place.status === 'waiting') {
    rt.setStep('waitlist', 'partner');
    rt.mergeData({ waitlist: { position: place.position } });
    rt.event({ type: 'waitlisted', step: 'waitlist', data: { position: place.position } });
    const lastEntryDay = [addDays(course.startDate, rules.lateEntryDays), course.endDate].sort()[0];
    const deadline = shanghaiMidnight(addDays(lastEntryDay, 1));
    let admitted = placeOffered || (deadline > Date.now() && (await condition(() => placeOffered, deadline - Date.now())));
    if (!admitted) admitted = (await rt.track(act.leaveWaitlist({ caseId: input.caseId, courseId: course.id, at: at() }))).admitted;
    if (!admitted) return finish('waitlist_expired', `候补至 ${lastEntryDay} 未获得名额 / no place became free by ${lastEntryDay}`);
    rt.event({ type: 'admitted_from_waitlist', step: 'waitlist' });
  }
  rt.row.partnerId = course.institutionId;
  rt.mergeData({ waitlist: undefined });
  rt.event({ type: 'enrolled', step: 'enrolment', data: { course: course.name, institution: course.institutionName } });

  // 3. Training: the institution records attendance per period; drop-out closes it with a reason.
  const startMs = shanghaiMidnight(course.startDate);
  if (Date.now() < startMs) {
    rt.setStep('awaiting_course', 'timer');
    await sleep(startMs - Date.now());
  }
  const limits = hoursLimits(course.hours, rules);
  let attended = 0;
  const periods: { period: number | 'extension'; hours: number }[] = [];
  const attendance = async (step: 'attendance' | 'attendance_extension', note: string, maxHours: number, lastDay?: string) => {
    const setting = s.steps[step] ?? s.steps.attendance;
    // A period's record is due a few working days after its last day; it opens at its first day so a
    // drop-out can be reported at once (and the place move to the waitlist while late entry is open).
    const due = lastDay
      ? await rt.track(computeDue({ from: new Date(shanghaiMidnight(lastDay)).toISOString(), workingDays: setting.workingDays, remindBefore: setting.remindBefore ?? [1] }))
      : undefined;
    const r = (
      await humanTask(rt, {
        step,
        kind: 'record',
        partnerId: course.institutionId,
        setting,
        note,
        dueAtOverride: due && { dueAt: due.dueAt, dueDate: due.dueDate, reminders: due.reminders },
        validate: (d) => validateAttendance(d, maxHours, lastDay),
      })
    ).data as unknown as AttendanceRecord;
    attended = round1(attended + r.hours);
    periods.push({ period: step === 'attendance' ? periods.length + 1 : 'extension', hours: r.hours });
    rt.mergeData({ attendance: { hours: attended, courseHours: course.hours, required: limits.required, periods: [...periods] } });
    await rt.track(act.recordTraining({ caseId: input.caseId, at: at(), hoursAttended: attended }));
    return r;
  };
  for (const p of attendancePeriods(course.startDate, course.endDate, rules.attendancePeriodDays)) {
    const opens = shanghaiMidnight(p.from);
    if (Date.now() < opens) {
      rt.setStep('training', 'timer');
      await sleep(opens - Date.now());
    }
    const r = await attendance('attendance', `第 ${p.n} 期 ${p.from}–${p.to} / period ${p.n}: ${p.from} to ${p.to}`, limits.max - attended, p.to);
    if (r.dropOut) return leaveCourse('dropped', 'dropped_out', r.reason!);
  }
  if (attended < limits.required) {
    // Short of the minimum: make-up hours, at most 10 % of the course hours.
    const room = round1(Math.min(limits.maxExtension, limits.max - attended));
    rt.event({ type: 'hours_extended', step: 'attendance_extension', data: { attended, required: limits.required, maxExtension: room } });
    const r = await attendance('attendance_extension', `补课最多 ${room} 学时（课时的10%） / make-up of at most ${room} hours (10 % of the course)`, room);
    if (r.dropOut) return leaveCourse('dropped', 'dropped_out', r.reason!);
    if (attended < limits.required) {
      return leaveCourse('incomplete', 'incomplete', `出勤 ${attended} 学时，未达到 ${limits.required} 学时 / attended ${attended} of the required ${limits.required} hours`);
    }
  }
  await rt.track(act.recordTraining({ caseId: input.caseId, at: at(), status: 'completed', hoursAttended: attended }));
  rt.event({ type: 'training_completed', step: 'training', data: { hours: attended } });

  // 4. Assessment: pass/fail, optionally a skills certificate (number, level).
  const assessment = (await humanTask(rt, { step: 'assessment', kind: 'record', partnerId: course.institutionId, setting: s.steps.assessment, validate: validateAssessment }))
    .data as unknown as AssessmentRecord;
  rt.mergeData({ assessment: { passed: assessment.passed, score: assessment.score ?? null, certificate: assessment.certificate ?? null } });
  await rt.track(
    act.recordTraining({ caseId: input.caseId, at: at(), passed: assessment.passed, certificateNo: assessment.certificate?.number ?? null, certificateLevel: assessment.certificate?.level ?? null }),
  );
  if (assessment.certificate) rt.event({ type: 'certificate_issued', step: 'assessment', data: { ...assessment.certificate } });

  // 5. Placement, then retention follow-ups; a lost job reopens placement.
  const placements: Record<string, unknown>[] = [];
  for (let round = 1; ; round++) {
    rt.setStep('placement', 'staff');
    const found = await findPlacement(round);
    if ('none' in found) return finish('not_employed', found.none);
    const row = found;
    const summary = {
      round,
      channel: row.channel,
      employerId: row.employerId,
      detail: row.detail,
      startDate: row.startDate,
      contractMonths: row.contractMonths,
      monthlyPay: row.monthlyPay,
      socialInsurance: row.socialInsurance,
      countsTowardQuota: row.countsTowardQuota,
      quotaWeight: row.quotaWeight,
      quotaReasons: row.quotaReasons,
    };
    placements.push(summary);
    rt.mergeData({ placement: summary, placements: [...placements], offer: undefined });
    await rt.track(act.recordPlacement(row));
    rt.event({ type: 'placed', step: 'placement', data: summary });

    rt.setStep('retention', 'staff');
    const eventAt = `${row.startDate}T12:00:00+08:00`;
    const retention: Record<string, unknown> = { round };
    let lost: RetentionRecord | null = null;
    for (const f of s.followUps) {
      const r = (await followUpVisit(rt, f, eventAt, { role: 'village_caseworker', level: 'village' }, (d) => validateRetention(d, row.startDate, f)))
        .data as unknown as RetentionRecord;
      retention[f.step] = r;
      rt.mergeData({ retention: { ...retention } });
      if (!r.employed) {
        lost = r;
        break;
      }
    }
    if (lost) {
      row.status = 'ended';
      row.endDate = lost.lostOn!;
      row.endReason = lost.reason!;
      placements[placements.length - 1] = { ...summary, endDate: lost.lostOn, endReason: lost.reason };
      rt.mergeData({ placements: [...placements] });
      await rt.track(act.recordPlacement(row));
      rt.event({ type: 'job_lost', step: 'retention', reason: lost.reason, data: { round, lostOn: lost.lostOn } });
      continue;
    }
    const lastDue = Math.max(0, ...s.followUps.map((f) => f.dueAfterDays));
    const stable = lastDue >= rules.stableAfterDays;
    if (stable) {
      row.status = 'stable';
      await rt.track(act.recordPlacement(row));
    }
    return finish(stable ? 'stable_employment' : 'employed');
  }

  /** One placement round: offers until one is accepted (and, for a quota employer, signed), or none is possible. */
  async function findPlacement(round: number): Promise<PlacementRow | { none: string }> {
    for (;;) {
      const m = (
        await humanTask(rt, {
          step: 'job_match',
          kind: 'record',
          role: 'county_officer',
          level: 'county',
          setting: s.steps.job_match,
          validate: (d) => validateMatch(d, s.amounts.selfEmploymentSupportMax ?? Number.MAX_SAFE_INTEGER),
        })
      ).data as unknown as JobMatchRecord;
      if (m.channel === 'none') return { none: m.reason! };
      let employerName: string | null = null;
      let position: { title: string; monthlyPay: number | null; contractMonths: number | null; socialInsurance: boolean } | null = null;
      if (m.channel === 'quota_employer') {
        const chk = await rt.track(act.checkJobOffer({ caseId: input.caseId, orgPath: input.orgPath, employerId: m.employerId!, positionId: m.positionId ?? null, at: at() }));
        if (!chk.ok) {
          rt.event({ type: 'offer_unavailable', step: 'job_match', reason: chk.reason, data: { employerId: m.employerId, positionId: m.positionId ?? null } });
          continue;
        }
        employerName = chk.employerName;
        position = chk.position;
      }
      const offer = {
        round,
        channel: m.channel,
        employerId: m.employerId ?? null,
        employer: employerName,
        positionId: m.positionId ?? null,
        post: position?.title ?? m.postName ?? m.businessName ?? null,
        monthlyPay: m.monthlyPay ?? position?.monthlyPay ?? null,
        startDate: m.startDate ?? null,
      };
      rt.mergeData({ offer });
      rt.event({ type: m.channel === 'self_employment' ? 'self_employment_supported' : 'offer_made', step: 'job_match', data: offer });

      if (m.channel !== 'self_employment') {
        const resp = (await humanTask(rt, { step: 'offer_response', kind: 'record', role: 'village_caseworker', level: 'village', setting: s.steps.offer_response, validate: validateResponse }))
          .data as unknown as OfferResponseRecord;
        if (!resp.accepted) {
          rt.event({ type: 'offer_refused', step: 'offer_response', reason: resp.reason, data: { post: offer.post, employer: employerName } });
          continue;
        }
        rt.event({ type: 'offer_accepted', step: 'offer_response', data: { post: offer.post, employer: employerName } });
      }

      const base = {
        id: `${input.caseId}-p${round}`,
        caseId: input.caseId,
        personId: input.personId,
        courseId: course.id,
        orgPath: input.orgPath,
        employerId: null as string | null,
        positionId: null as string | null,
        endDate: null,
        businessLicence: null as string | null,
        supportAmount: null as number | null,
        disabilityGrade: input.disabilityGrade,
        status: 'active' as const,
        endReason: null,
      };
      const decide = (p: Pick<PlacementRow, 'channel' | 'contractMonths' | 'monthlyPay' | 'socialInsurance'>) =>
        quotaCounting({ ...p, disabilityGrade: input.disabilityGrade }, { minimumWage: s.amounts.minimumWage ?? 0, minContractMonths: rules.quotaMinContractMonths });

      if (m.channel === 'quota_employer') {
        const c = (await humanTask(rt, { step: 'contract', kind: 'record', partnerId: m.employerId!, setting: s.steps.contract, validate: validateContract }))
          .data as unknown as ContractRecord;
        if (!c.signed) {
          rt.event({ type: 'contract_not_signed', step: 'contract', reason: c.reason, data: { employer: employerName } });
          continue;
        }
        const terms = { channel: 'quota_employer' as const, contractMonths: c.contractMonths!, monthlyPay: c.monthlyPay!, socialInsurance: c.socialInsurance! };
        const q = decide(terms);
        return { ...base, ...terms, employerId: m.employerId!, positionId: m.positionId ?? null, detail: position?.title ?? employerName, startDate: c.startDate!, countsTowardQuota: q.counts, quotaWeight: q.weight, quotaReasons: q.reasons.map((x) => x.code) };
      }
      if (m.channel === 'public_welfare') {
        const terms = { channel: 'public_welfare' as const, contractMonths: null, monthlyPay: m.monthlyPay ?? null, socialInsurance: null };
        const q = decide(terms);
        return { ...base, ...terms, detail: m.postName!, startDate: m.startDate!, countsTowardQuota: q.counts, quotaWeight: q.weight, quotaReasons: q.reasons.map((x) => x.code) };
      }
      const terms = { channel: 'self_employment' as const, contractMonths: null, monthlyPay: m.monthlyPay ?? null, socialInsurance: null };
      const q = decide(terms);
      return {
        ...base,
        ...terms,
        detail: m.businessName!,
        startDate: m.startDate!,
        businessLicence: m.businessLicence!,
        supportAmount: m.supportAmount!,
        countsTowardQuota: q.counts,
        quotaWeight: q.weight,
        quotaReasons: q.reasons.map((x) => x.code),
      };
    }
  }
}
