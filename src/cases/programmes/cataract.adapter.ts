import { CataractCaseInput, checkCataractEligibility } from '../../../workflows/contracts';
import { ageOn } from '../../domain/identity/resident-id';
import { CaseBase, Precheck, PrecheckContext, ProgrammeAdapter } from './programme-adapter';

/** Cataract (白内障复明): facts for the eligibility rules, the campaign, and the workflow input. */
export const cataractAdapter: ProgrammeAdapter = {
  programme: 'cataract',
  caseNoPrefix: 'CAT',
  registrarRoles: ['village_caseworker', 'township_officer', 'county_officer'],

  async precheck({ db, person: p, today, settings }: PrecheckContext): Promise<Precheck> {
    const countyCode = p.org_path.split('/').filter(Boolean)[1];
    const [open] = await db.query(
      `SELECT count(*)::int AS n FROM case_file WHERE person_id = $1 AND programme = 'cataract' AND status = 'open'`,
      [p.id],
    );
    const [surg] = await db.query(
      `SELECT count(*)::int AS n FROM case_file WHERE person_id = $1 AND programme = 'cataract'
         AND data ? 'surgery' AND substring(data->'surgery'->>'surgeryDate', 1, 4) = $2`,
      [p.id, today.slice(0, 4)],
    );
    // The campaign open for registration today, else the next one (late registrants wait).
    const campaigns: any[] = await db.query(
      `SELECT id, name, to_char(registration_start,'YYYY-MM-DD') AS rs, to_char(registration_end,'YYYY-MM-DD') AS re,
              to_char(screening_start,'YYYY-MM-DD') AS ss
       FROM campaign WHERE programme = 'cataract' AND org_unit_code = $1 AND registration_end >= $2
       ORDER BY (registration_start <= $2) DESC, registration_start ASC LIMIT 1`,
      [countyCode, today],
    );
    const c = campaigns[0];
    const r = checkCataractEligibility({
      today,
      age: ageOn(String(p.birth_date), today),
      hardship: p.hardship ?? [],
      hasCertificate: !!p.disability_cert_no,
      openCataractCases: open.n,
      surgeriesThisYear: surg.n,
      campaign: c ? { name: c.name, registrationStart: c.rs, registrationEnd: c.re, screeningStart: c.ss } : null,
      oneEyePerYear: settings.rules.oneEyePerYear !== false,
      minAge: typeof settings.rules.minAge === 'number' ? settings.rules.minAge : undefined,
    });
    const campaign = c ? { id: c.id, name: c.name, registrationEnd: c.re, screeningStart: c.ss } : null;
    return { eligible: r.eligible, rules: r.rules, priority: r.priority, info: { campaign, waitsForNextCampaign: r.waitsForNextCampaign }, facts: { campaign } };
  },

  caseRow(check) {
    const campaign = check.facts.campaign as { id: string; name: string };
    return { campaignId: campaign.id, data: { priority: check.priority, campaign: campaign.name } };
  },

  workflowInput(base: CaseBase, check: Precheck): CataractCaseInput {
    const campaign = check.facts.campaign as CataractCaseInput['campaign'];
    return {
      caseId: base.caseId,
      caseNo: base.caseNo,
      personId: base.person.id,
      orgUnitCode: base.area.orgUnitCode,
      orgPath: base.area.orgPath,
      campaign,
      settings: base.settings,
      openedBy: base.openedBy,
      priority: check.priority,
    };
  },
};
