/**
 * The whole cataract case, from campaign registration to archive. Read top to bottom: each
 * `humanTask` is a step someone must do, with its time limit, reminders and escalation.
 */
import { patched, proxyActivities, sleep } from '@temporalio/workflow';
import type { CaseActivities } from '../../../activities/types';
import type { CataractCaseInput, CataractOutcome, FollowUpOutcome, PreOpResult, ScreeningResult, SurgeryRecord } from '../../contracts/cataract';
import { CaseRuntime } from '../../lib/case-runtime';
import { followUpVisit, shanghaiDay } from '../../lib/follow-up';
import { approvalWithReturns, humanTask } from '../../lib/human-task';
import { cataractIndicators, followUpWindowProblem, isAcuity } from './steps';

/**
 * patched(): from this change on, a follow-up with a window (phone, day 3–5) refuses an outcome
 * dated before the window opens. Cases that had reached their follow-ups before the change keep
 * the old validator (their histories carry no marker); do not remove before those are archived.
 */
const PHONE_WINDOW_PATCH = 'cataract-followup-window-2026-12';

const { reserveHospital } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

const isEye = (v: unknown) => v === 'left' || v === 'right';
const isDate = (v: unknown) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v));

function validateScreening(d: Record<string, unknown>): string | null {
  if (typeof d.suitable !== 'boolean') return '请选择是否适合手术 / suitable (true/false) is required';
  if (d.suitable && !isEye(d.eye)) return '适合手术时须选择眼别（左/右） / eye (left/right) is required when suitable';
  if (d.uncorrectedAcuity !== undefined && !isAcuity(d.uncorrectedAcuity)) return '裸眼视力须在 0–2 之间 / uncorrectedAcuity must be 0–2';
  if (!d.suitable && !String(d.reason ?? '').trim()) return '不适合手术时须填写原因 / reason is required when not suitable';
  return null;
}
function validatePreOp(d: Record<string, unknown>): string | null {
  if (typeof d.fit !== 'boolean') return '请选择术前检查是否合格 / fit (true/false) is required';
  if (!d.fit && !String(d.reason ?? '').trim()) return '不合格时须填写原因（禁忌症） / reason (contraindication) is required when not fit';
  if (d.fit && !isEye(d.eye)) return '请选择眼别（左/右） / eye (left/right) is required';
  return null;
}
function validateSurgery(d: Record<string, unknown>): string | null {
  if (!isDate(d.surgeryDate)) return '请填写手术日期（YYYY-MM-DD） / surgeryDate (YYYY-MM-DD) is required';
  if (!isEye(d.eye)) return '请选择眼别（左/右） / eye (left/right) is required';
  if (typeof d.lensImplanted !== 'boolean') return '请选择是否植入人工晶体 / lensImplanted (true/false) is required';
  return null;
}
function validateFollowUp(d: Record<string, unknown>): string | null {
  if (typeof d.reached !== 'boolean') return '请选择是否联系到患者 / reached (true/false) is required';
  if (d.reached && !isAcuity(d.uncorrectedAcuity)) return '请填写裸眼视力（0–2） / uncorrectedAcuity (0–2) is required';
  if (d.correctedAcuity !== undefined && !isAcuity(d.correctedAcuity)) return '矫正视力须在 0–2 之间 / correctedAcuity must be 0–2';
  return null;
}

export async function cataractCaseWorkflow(input: CataractCaseInput): Promise<{ outcome: CataractOutcome }> {
  const s = input.settings;
  const rt = new CaseRuntime({
    caseId: input.caseId,
    caseNo: input.caseNo,
    programme: 'cataract',
    personId: input.personId,
    orgUnitCode: input.orgUnitCode,
    orgPath: input.orgPath,
    ruleVersion: s.version,
    campaignId: input.campaign.id,
    createdBy: input.openedBy.id,
    openedAt: new Date().toISOString(),
    receivedAt: input.receivedAt,
  });
  rt.install();
  rt.mergeData({ campaign: input.campaign.name, priority: input.priority });
  rt.event({ type: 'case_opened', step: 'registered', actor: input.openedBy, data: { campaign: input.campaign.name, priority: input.priority } });

  const finish = async (outcome: CataractOutcome, reason?: string) => {
    rt.close(outcome, reason);
    await rt.drain();
    return { outcome };
  };

  // 1. Wait for the campaign's screening to start (late registrants were put in the next campaign).
  const screeningStart = Date.parse(`${input.campaign.screeningStart}T00:00:00+08:00`);
  // A receipt date counts for screening only from the day the campaign's screening started.
  rt.receiptNotBefore(Date.now() < screeningStart ? null : new Date(screeningStart).toISOString());
  if (Date.now() < screeningStart) {
    rt.setStep('awaiting_campaign', 'timer');
    rt.event({ type: 'waiting_for_campaign', step: 'awaiting_campaign', data: { screeningStart: input.campaign.screeningStart } });
    await sleep(screeningStart - Date.now());
  }

  // 2. First screening in the village (township officer records the hospital team's result).
  const screening = (await humanTask(rt, { step: 'screening', kind: 'record', role: 'township_officer', level: 'township', setting: s.steps.screening, validate: validateScreening })).data as unknown as ScreeningResult;
  rt.mergeData({ screening });
  if (!screening.suitable) return finish('not_suitable', screening.reason);

  // 3. Hospital choice: an active partner with capacity; no change afterwards.
  let hospital: { id: string; name: string } | undefined;
  while (!hospital) {
    const choice = await humanTask(rt, {
      step: 'hospital_choice', kind: 'record', role: 'village_caseworker', level: 'village', setting: s.steps.hospital_choice,
      validate: (d) => (typeof d.partnerId === 'string' && d.partnerId.length > 0 ? null : '请选择定点医院 / partnerId (the chosen hospital) is required'),
    });
    const partnerId = String(choice.data!.partnerId);
    const res = await rt.track(reserveHospital({ caseId: input.caseId, partnerId, service: 'cataract_surgery' }));
    if (res.ok) hospital = { id: partnerId, name: res.partnerName };
    else rt.event({ type: 'hospital_refused', step: 'hospital_choice', reason: res.reason, data: { partnerId } });
  }
  rt.row.partnerId = hospital.id;
  rt.mergeData({ hospital: hospital.name });
  rt.event({ type: 'hospital_assigned', step: 'hospital_choice', data: { partnerId: hospital.id, name: hospital.name } });

  // 4. Re-screen and pre-op checks at the hospital.
  const preOp = (await humanTask(rt, { step: 'pre_op_check', kind: 'record', partnerId: hospital.id, setting: s.steps.pre_op_check, validate: validatePreOp })).data as unknown as PreOpResult;
  rt.mergeData({ preOp });
  if (!preOp.fit) return finish('contraindicated', preOp.reason);

  // 5. Eligibility: township verifies, county approves (four-eyes across the two tiers).
  const verify = await approvalWithReturns(rt, { step: 'township_verify', kind: 'approval', role: 'township_officer', level: 'township', setting: s.steps.township_verify });
  if (verify.action !== 'approve') return finish('rejected', verify.reason);
  const approve = await approvalWithReturns(rt, { step: 'county_approval', kind: 'approval', role: 'county_officer', level: 'county', setting: s.steps.county_approval });
  if (approve.action !== 'approve') return finish('rejected', approve.reason);
  rt.event({ type: 'referral_issued', step: 'county_approval', data: { hospital: hospital.name, eye: preOp.eye } });

  // 6. Surgery at the chosen hospital.
  const surgery = (await humanTask(rt, { step: 'surgery', kind: 'record', partnerId: hospital.id, setting: s.steps.surgery, validate: validateSurgery })).data as unknown as SurgeryRecord;
  rt.mergeData({ surgery });
  const surgeryAt = `${surgery.surgeryDate}T12:00:00+08:00`;

  // 7. Settlement and the four post-op follow-ups run side by side (case step: post_op).
  rt.setStep('post_op', 'partner');
  const { settlementMin, settlementMax } = s.amounts;
  const settlement = humanTask(rt, {
    step: 'settlement', kind: 'record', role: 'county_officer', level: 'county', setting: s.steps.settlement, keepCaseStep: true,
    validate: (d) => {
      const a = d.amount;
      if (typeof a !== 'number' || !Number.isFinite(a)) return '请填写结算金额（元） / amount (yuan) is required';
      if (a < settlementMin || a > settlementMax) return `结算金额须在 ${settlementMin} 至 ${settlementMax} 元之间 / amount must be between ${settlementMin} and ${settlementMax} yuan`;
      return null;
    },
  }).then((r) => rt.mergeData({ settlement: { amount: r.data!.amount } }));
  const windowed = patched(PHONE_WINDOW_PATCH);
  const visits = s.followUps.map((f) =>
    followUpVisit(rt, f, surgeryAt, { partnerId: hospital!.id }, (d) =>
      validateFollowUp(d) ?? (windowed ? followUpWindowProblem(f, surgery.surgeryDate, d, shanghaiDay(Date.now())) : null),
    ).then((r) => {
      rt.mergeData({ [f.step]: r.data as unknown as FollowUpOutcome });
    }),
  );
  await Promise.all([settlement, ...visits]);

  // 8. The patient confirms at the township; the case is archived with its indicators.
  await humanTask(rt, {
    step: 'confirmation', kind: 'record', role: 'township_officer', level: 'township', setting: s.steps.confirmation,
    validate: (d) => (d.confirmed === true ? null : '须由患者确认结果 / confirmed must be true'),
  });
  const data = rt.row.data as Record<string, any>;
  rt.mergeData({
    indicators: cataractIndicators({ lensImplanted: surgery.lensImplanted, twoWeeks: data.followup_2w, final: data.followup_3m }),
  });
  return finish('completed');
}
