/**
 * Demo child rehabilitation cases (残疾儿童康复救助), driven through the REAL HTTP api as the demo
 * users, so every case has a genuine workflow, tasks and timeline. Called once from
 * seedDemoCases (demo-cases.ts), after the cataract cases, with only the api's base URL.
 *
 * First, idempotently, each county's designated rehabilitation centre gets the per-category
 * services the programme places children under (rehab_hearing, rehab_autism, …), and each county
 * gets a small speech & hearing class with one place (so a second child waits on its waitlist).
 * Then, per county, children under 7 with a guardian are taken to these states:
 *   review        applied at the county federation, county review open
 *   returned      returned for a missing document: the supplement is with the registrar
 *   rejected      closed: the county rejected the application with its reason (in every other
 *                 county after a return for a document and the registrar's supplement)
 *   intake        approved and placed: intake assessment open at the institution
 *   training      intake recorded: in training, the first monthly progress record is due at month end
 *   small_class   placed at the one-place class (which is now full)
 *   waitlisted    approved for the full class: on its waitlist, position 1
 *   switch_review moved from the rehabilitation centre to the small class's county… a switch
 *                 awaiting the county's re-approval (the old agreement has ended)
 * Registration is by the county's application desk (officer2, for the guardian); officer1 reviews.
 *
 * 东湖县 (the county of the printed demo walk) runs child rehabilitation on a COMPRESSED TRAINING
 * CALENDAR (1 month = 10 minutes, a service year = 12 such months, i.e. 2 hours): before its children
 * apply, the seed saves a child_rehab settings version for the county with `rules.compressedCalendar`
 * through the real admin api (POST /admin/programme-configs, as the city admin). The api accepts that
 * only when ALLOW_COMPRESSED_CALENDAR=true (demo and training stacks; refused in production). Why: the
 * programme counts training in whole months of the service year, so on the real calendar a demo
 * started in December has no intake to open until January; with the compressed calendar the
 * institution (donghu.rehab) has an intake open on any day of the year, the `training` child's first
 * monthly progress record is due ~10 minutes after the seed, the second ~20 minutes after, then the
 * end assessment and the bill. Each compressed year counts as a programme year (renewal every 2 hours,
 * a child ages out after a few). Every 东湖县 child-rehab case started from then on (also by hand) runs
 * on it; the demo account list says so. If the api refuses the version, the county's children run on
 * the real calendar and the refusal is reported as a seed failure.
 *
 * 西山县 runs on the real calendar: only what happens on the day the seed runs. Cases close only when the county rejects them or at the end of a service
 * year (aged out, withdrawn or not renewed at the renewal), so `rejected` is the one closed state a
 * seed can reach honestly on its day. From 1 December no whole training month is left in the year:
 * placed children then wait for next year (their intake is not opened) and, from 30 days before the
 * year ends, every approved case has its renewal open; the `training` child's family then continues
 * (renewal approved by the county) and the `switch_review` child's family declines (the case closes
 * as withdrawn on 31 December): both wait for the year's end.
 */
import { REHAB_SERVICE } from '../../../workflows/contracts';
import { DemoApi, sleep } from './demo-api';
import { DEMO_PARTNERS, demoUnit, demoUnitsAt } from './demo-org';
import { DEMO_PEOPLE, type DemoPerson } from './demo-people';
import { shanghaiToday } from './prng';

const CATEGORY_BY_CERT: Record<number, string> = { 1: 'vision', 2: 'hearing', 3: 'speech', 4: 'limb', 5: 'intellectual', 6: 'autism' };
const CATEGORIES = ['hearing', 'autism', 'limb', 'intellectual', 'speech', 'vision'];
const REHAB_SERVICES = Object.values(REHAB_SERVICE);
export type DemoChildTarget = 'review' | 'returned' | 'rejected' | 'intake' | 'training' | 'small_class' | 'waitlisted' | 'switch_review';
type Target = DemoChildTarget;
/** Per county, in this order (the small class must be full before a child waits for it). */
const PLAN: Target[] = ['small_class', 'waitlisted', 'review', 'returned', 'rejected', 'intake', 'training', 'switch_review', 'review', 'training'];

/** The county whose child rehabilitation runs on the compressed training calendar (东湖县, the printed demo walk). */
export const DEMO_COMPRESSED_COUNTY = '519901';
/** 1 month = 10 minutes, a service year = 12 of them (2 hours). */
export const DEMO_COMPRESSED_CALENDAR = { monthSeconds: 600, yearSeconds: 7200 } as const;
/** Months the compressed county's `training` child is planned for: progress records at ~10 and ~20 minutes, then the end assessment and the bill. */
const COMPRESSED_PLANNED_MONTHS = 2;
const ADMIN = 'shifan.admin';

/**
 * Makes sure the compressed county has a child_rehab settings version with the compressed calendar in
 * force today (idempotent: an existing one is kept; versions are never edited). Through the real api,
 * so its validation applies (ALLOW_COMPRESSED_CALENDAR must be set on the api).
 */
export async function ensureDemoCompressedCalendar(api: DemoApi, today = shanghaiToday()): Promise<string> {
  const list = await api.call(ADMIN, 'GET', '/admin/programme-configs?programme=child_rehab');
  const mine = list.items
    .filter((c: any) => c.orgUnitCode === DEMO_COMPRESSED_COUNTY && c.effectiveFrom <= today)
    .sort((a: any, b: any) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1))[0];
  if (mine?.settings?.rules?.compressedCalendar) return mine.version;
  const created = await api.call(ADMIN, 'POST', '/admin/programme-configs', {
    programme: 'child_rehab',
    orgUnitCode: DEMO_COMPRESSED_COUNTY,
    effectiveFrom: today,
    settings: { steps: {}, rules: { compressedCalendar: { ...DEMO_COMPRESSED_CALENDAR } } },
  }, [201]);
  return created.version;
}



/** Children who may apply this year: under 7 on 1 January, with a guardian, not a multiple disability. */
export function demoChildApplicants(countyPath: string, today = shanghaiToday()): DemoPerson[] {
  const jan1 = `${today.slice(0, 4)}-01-01`;
  const under7 = (b: string) => {
    const [by, bm, bd] = b.split('-').map(Number);
    const age = Number(jan1.slice(0, 4)) - by - (1 < bm || (1 === bm && 1 < bd) ? 1 : 0);
    return age < 7 && b <= today;
  };
  return DEMO_PEOPLE.filter((p) => p.orgPath.startsWith(countyPath) && p.group === 'child' && p.guardianName && under7(p.birthDate) && p.disabilityCategory !== 7);
}

/** Which demo child is taken to which state, per county, for `today` (the children age with the calendar). */
export function planDemoChildCases(today = shanghaiToday()): { countyCode: string; countyIndex: number; n: number; person: DemoPerson; target: DemoChildTarget }[] {
  return demoUnitsAt('county').flatMap((county, countyIndex) => {
    const children = demoChildApplicants(county.path, today);
    return PLAN.slice(0, children.length).map((target, n) => ({ countyCode: county.code, countyIndex, n, person: children[n], target }));
  });
}

export interface DemoChildCasesResult {
  created: number;
  states: Record<string, number>;
  failures: string[];
}

export async function seedDemoChildCases(apiBaseUrl: string, opts: { log?: (m: string) => void } = {}): Promise<DemoChildCasesResult> {
  const log = opts.log ?? (() => undefined);
  const api = new DemoApi(apiBaseUrl.replace(/\/+$/, ''));
  const today = shanghaiToday();
  const result: DemoChildCasesResult = { created: 0, states: {}, failures: [] };

  const plan = planDemoChildCases(today);
  let compressed = false;
  try {
    const version = await ensureDemoCompressedCalendar(api, today);
    compressed = true;
    log(`demo child cases: ${demoUnit(DEMO_COMPRESSED_COUNTY).name} runs on the compressed training calendar (${version}: 1 month = ${DEMO_COMPRESSED_CALENDAR.monthSeconds / 60} min)`);
  } catch (e) {
    result.failures.push(
      `compressed training calendar for ${demoUnit(DEMO_COMPRESSED_COUNTY).name} refused (its children run on the real calendar; the api needs ALLOW_COMPRESSED_CALENDAR=true): ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  for (const [countyIndex, county] of demoUnitsAt('county').entries()) {
    const onCompressed = compressed && county.code === DEMO_COMPRESSED_COUNTY;
    const officer1 = `${county.slug}.officer1`;
    const desk = `${county.slug}.officer2`;
    const centre = DEMO_PARTNERS.find((p) => p.key === `${county.slug}.rehab`)!;
    const centreStaff = centre.key;
    try {
      // The rehabilitation centre offers every category (idempotent: only missing services are added).
      const cur = await api.call(officer1, 'GET', `/partners/${centre.id}`);
      const missing = REHAB_SERVICES.filter((s) => !cur.services.includes(s));
      if (missing.length) await api.call(officer1, 'PUT', `/partners/${centre.id}`, { services: [...cur.services, ...missing] });
      // A small speech & hearing class with one place (created once, found by name afterwards).
      const className = `${county.name.slice(0, 2)}启聪语训班`;
      const list = await api.call(officer1, 'GET', `/partners?kind=rehab_institution`);
      let small = list.items.find((p: any) => p.name === className);
      if (!small) {
        small = await api.call(officer1, 'POST', '/partners', {
          name: className, kind: 'rehab_institution', orgUnitCode: county.code, services: ['rehab_hearing', 'rehab_speech', 'rehab_autism'], capacity: 1,
          agreementStart: `${today.slice(0, 4)}-01-01`, agreementEnd: `${Number(today.slice(0, 4)) + 2}-12-31`, status: 'active',
        });
      }

      for (const { n, person: child, target } of plan.filter((x) => x.countyIndex === countyIndex)) {
        let caseNo = '';
        try {
          const certCategory = child.disabilityCategory ? CATEGORY_BY_CERT[child.disabilityCategory] : undefined;
          const toSmall = target === 'small_class' || target === 'waitlisted';
          // The small class trains hearing, speech and autism: the children who go (or move) there are of those.
          const category = toSmall ? 'hearing' : target === 'switch_review' ? 'speech' : (certCategory ?? CATEGORIES[n % CATEGORIES.length]);
          // A certificate of another category (or none): a recent hospital diagnosis of the category applied for.
          const needsDiagnosis = certCategory !== category;
          // The rejected child's diagnosis comes from a clinic that may not diagnose for the programme.
          const hospital =
            target === 'rejected' ? `${county.name.slice(0, 2)}康宁门诊部` : category === 'autism' ? '示范市第三人民医院（三级）' : `${county.name}妇幼保健院`;
          const details: Record<string, unknown> = {
            category,
            institutionId: toSmall ? small.id : centre.id,
            ...(needsDiagnosis ? { diagnosis: { hospital, date: today.slice(0, 8) + '01', category } } : {}),
            ...(category === 'hearing' && n % 2 === 0 ? { needs: ['hearing_aid'] } : {}),
            ...(n === 3 ? { agent: { name: child.guardianName!.slice(0, 1) + '建军', relation: '舅舅' } } : {}),
          };
          const started = await api.call(desk, 'POST', '/cases', { programme: 'child_rehab', personId: child.id, details }, [201]);
          caseNo = started.caseNo;
          const caseId: string = started.caseId;
          const task = async (as: string, step: string) => {
            for (let i = 0; i < 300; i++) {
              const d = await api.call(as, 'GET', `/cases/${caseId}`);
              const t = d.tasks?.find((x: any) => x.step === step && x.status === 'open');
              if (t) return t;
              await sleep(200);
            }
            throw new Error(`${caseNo}: ${step} did not open`);
          };
          const decide = async (as: string, step: string, body: Record<string, unknown>) => {
            const t = await task(as, step);
            return api.call(as, 'POST', `/cases/${caseId}/tasks/${t.taskId}/decision`, body);
          };
          if (target === 'review') {
            await task(officer1, 'county_review');
          } else if (target === 'returned') {
            await decide(officer1, 'county_review', { action: 'return', reason: '请补充监护人身份证复印件及户口簿本人页 / please add the guardian’s ID copy and the hukou page' });
            await task(desk, 'county_review_supplement');
          } else if (target === 'rejected') {
            if (countyIndex % 2 === 1) {
              await decide(officer1, 'county_review', { action: 'return', reason: '请补充近期康复评估报告 / please add a recent rehabilitation assessment' });
              await decide(desk, 'county_review_supplement', { action: 'submit', data: { note: '已补充评估报告 / assessment added' } });
            }
            const reason = needsDiagnosis
              ? '诊断证明由非定点诊断机构出具，请到县妇幼保健院或三级医院复诊后重新申请 / the diagnosis is not from a designated diagnosing hospital: re-apply with a diagnosis from the county maternal and child hospital or a tertiary hospital'
              : '经与民政部门核对，该儿童本年度已在其他地区享受同类康复救助，不重复救助 / cross-checked with civil affairs: the child is already funded for rehabilitation elsewhere this year';
            await decide(officer1, 'county_review', { action: 'reject', reason });
            for (let i = 0; i < 100; i++) {
              if ((await api.call(officer1, 'GET', `/cases/${caseId}`)).case.status === 'closed') break;
              await sleep(200);
            }
          } else {
            await decide(officer1, 'county_review', { action: 'approve' });
            if (target === 'waitlisted') {
              for (let i = 0; i < 100; i++) {
                const d = await api.call(officer1, 'GET', `/cases/${caseId}`);
                if (d.case.step === 'waitlisted') break;
                await sleep(200);
              }
            } else {
              const staff = target === 'small_class' ? null : centreStaff;
              // No whole month left in the year (December): training starts next year, the case waits for its renewal.
              let intakeOpen = !staff;
              for (let i = 0; staff && i < 300; i++) {
                const d = await api.call(officer1, 'GET', `/cases/${caseId}`); // the institution sees the child once placed
                if (d.tasks?.some((x: any) => x.step === 'intake_assessment' && x.status === 'open')) intakeOpen = true;
                if (intakeOpen || d.timeline?.some((e: any) => e.type === 'no_training_time_left')) break;
                await sleep(200);
              }
              if (staff && intakeOpen && (target === 'training' || target === 'switch_review')) {
                const d = await api.call(staff!, 'GET', `/cases/${caseId}`);
                const max = d.case.data.period?.maxMonths ?? 1;
                await decide(staff!, 'intake_assessment', {
                  action: 'submit',
                  data: { assessedOn: today, goals: category === 'autism' ? ['共同注意', '眼神对视', '简单指令'] : ['功能评估达标', '家庭康复指导'], plannedMonths: Math.max(1, Math.min(max, onCompressed ? COMPRESSED_PLANNED_MONTHS : 10)) },
                });
              }
              // A switch is only possible during a stay; in December (no training time left) the case waits for its renewal instead.
              if (target === 'switch_review' && intakeOpen) {
                await api.call(desk, 'POST', `/rehab/cases/${caseId}/switch`, { institutionId: small.id, reason: '家庭搬至县城，就近训练 / the family moved to town' });
              }
              // December, once the renewal is open: the village caseworker records the family's answer.
              // One family continues (the county approves next year's training), one declines (the case
              // closes as withdrawn when the year ends). Both then wait for the year's end.
              if (staff && !intakeOpen && (target === 'training' || target === 'switch_review')) {
                let renewalOpen = false;
                for (let i = 0; i < 25 && !renewalOpen; i++) {
                  renewalOpen = !!(await api.call(officer1, 'GET', `/cases/${caseId}`)).tasks?.some((x: any) => x.step === 'renewal' && x.status === 'open');
                  if (!renewalOpen) await sleep(200);
                }
                if (renewalOpen) {
                  const caseworker = `${demoUnit(child.hukouOrgCode).slug}.caseworker`;
                  if (target === 'training') {
                    await decide(caseworker, 'renewal', { action: 'submit', data: { continue: true } });
                    await decide(officer1, 'county_review', { action: 'approve' });
                  } else {
                    await decide(caseworker, 'renewal', {
                      action: 'submit',
                      data: { continue: false, reason: '家长决定明年送孩子入读普通幼儿园，暂不继续康复训练 / the parents are sending the child to a mainstream kindergarten next year and stop the training' },
                    });
                  }
                  for (let i = 0; i < 100; i++) {
                    if ((await api.call(officer1, 'GET', `/cases/${caseId}`)).case.step === 'year_end') break;
                    await sleep(200);
                  }
                }
              }
            }
          }
          const d = await api.call(officer1, 'GET', `/cases/${caseId}`);
          const key = `${target}:${d.case.status === 'closed' ? `closed:${d.case.outcome}` : d.case.step}`;
          result.states[key] = (result.states[key] ?? 0) + 1;
          result.created++;
          log(`demo child case ${caseNo} (${child.name}, ${category}) → ${key}`);
        } catch (e) {
          if (caseNo) result.created++;
          result.failures.push(`child ${target} for ${child.name}${caseNo ? ` (${caseNo})` : ''}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    } catch (e) {
      result.failures.push(`child cases in ${demoUnit(county.code).name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return result;
}
