import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Form, Input, List, Radio, Select, Space, Steps, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, ApiError, qs } from '../api';
import { ChildRehabForm, type DetailsState, type PersonDetail, ReceiptDateField, receiptProblem, TrainingForm } from '../components/ApplicationForms';
import { ErrorAlert, Loading, PageHeader, Tone } from '../components/common';
import { formatDate } from '../format';
import { checkResidentId } from '../idcheck';
import { bilingual, useI18n } from '../i18n';
import { HARDSHIP, hardshipLabel, programmeLabel } from '../labels';
import { PROGRAMME_IDS, type ProgrammeId, REGISTRARS } from '../programmes';
import { useSession } from '../session';
import type { OrgNode } from '../types';

interface PersonItem {
  id: string;
  name: string;
  residentId: string;
  sex: 'M' | 'F';
  age: number;
  hukouOrgName: string;
  hardship: string[];
}
interface Rule {
  rule: string;
  version: string;
  ok: boolean;
  message: string;
  messageEn: string;
}
interface Precheck {
  eligible: boolean;
  rules: Rule[];
  priority: number;
  campaign?: { id: string; name: string; registrationEnd: string; screeningStart: string } | null;
  waitsForNextCampaign?: boolean;
  /** child_rehab: the chosen institution (out of the child's area: the family claims back). */
  institution?: { id: string; name: string; outOfArea: boolean } | null;
  /** training: the course is full, the trainee will wait for a place. */
  waitlisted?: boolean;
  settingsVersion: string;
}

function villagesOf(n: OrgNode, trail: string[] = []): { code: string; label: string }[] {
  const here = [...trail, n.name];
  if (n.level === 'village') return [{ code: n.code, label: here.slice(-2).join(' / ') }];
  return n.children.flatMap((c) => villagesOf(c, here));
}

function PersonSearch({ onPick }: { onPick(p: PersonItem): void }) {
  const { t, lang } = useI18n();
  const [q, setQ] = useState('');
  const [items, setItems] = useState<PersonItem[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const search = async (value: string) => {
    if (!value.trim()) return;
    setBusy(true);
    setError(null);
    try {
      setItems((await api<{ items: PersonItem[] }>(`/persons${qs({ q: value.trim(), limit: 10 })}`)).items);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <label htmlFor="person-q" className="field-label">
        {t('searchPerson')}
      </label>
      <Input.Search id="person-q" value={q} onChange={(e) => setQ(e.target.value)} onSearch={search} enterButton={t('search')} loading={busy} placeholder={t('searchPersonHint')} aria-describedby="person-q-hint" />
      <div id="person-q-hint" className="muted small" style={{ marginTop: 4 }}>
        {t('searchPersonHint')}
      </div>
      {error ? <ErrorAlert error={error} style={{ marginTop: 12 }} /> : null}
      {items ? (
        <List
          style={{ marginTop: 12 }}
          aria-live="polite"
          dataSource={items}
          locale={{ emptyText: t('noPersonFound') }}
          renderItem={(p) => (
            <List.Item
              actions={[
                <Button key="pick" onClick={() => onPick(p)} aria-label={`${t('select')} ${p.name} ${p.residentId}`}>
                  {t('select')}
                </Button>,
              ]}
            >
              <List.Item.Meta
                title={p.name}
                description={`${p.residentId} · ${p.sex === 'F' ? t('sexF') : t('sexM')} · ${t('ageYears', { n: p.age })} · ${p.hukouOrgName}${p.hardship.length ? ' · ' + p.hardship.map((h) => hardshipLabel(lang, h)).join('、') : ''}`}
              />
            </List.Item>
          )}
        />
      ) : null}
    </div>
  );
}

function RegisterPerson({ onDone }: { onDone(p: PersonItem): void }) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm();
  const [villages, setVillages] = useState<{ code: string; label: string }[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [existing, setExisting] = useState<string | null>(null);
  const [known, setKnown] = useState<PersonItem | null>(null);
  const residentId: string = Form.useWatch('residentId', form) ?? '';
  const problem = residentId.trim() ? checkResidentId(residentId) : null;
  const complete = residentId.trim().length === 18;

  useEffect(() => {
    api<OrgNode>('/org-units/tree')
      .then((tree) => {
        const v = villagesOf(tree);
        setVillages(v);
        if (v.length === 1) form.setFieldValue('hukouOrgCode', v[0].code);
      })
      .catch(setError);
  }, [form]);

  // A complete, well-formed ID: ask the server whether this person is already registered in my area.
  useEffect(() => {
    setKnown(null);
    if (!complete || problem) return;
    const ctl = new AbortController();
    api<{ items: PersonItem[] }>(`/persons${qs({ q: residentId.trim().toUpperCase(), limit: 1 })}`, { signal: ctl.signal })
      .then((r) => setKnown(r.items[0] ?? null))
      .catch(() => undefined);
    return () => ctl.abort();
  }, [residentId, complete, problem]);

  const onFinish = async (v: any) => {
    setBusy(true);
    setError(null);
    setExisting(null);
    try {
      const body: Record<string, unknown> = { residentId: v.residentId.trim().toUpperCase(), name: v.name, hukouOrgCode: v.hukouOrgCode };
      if (v.phone) body.phone = v.phone;
      if (v.disabilityCertNo) body.disabilityCertNo = v.disabilityCertNo.trim().toUpperCase();
      if (v.hardship?.length) body.hardship = v.hardship;
      if (v.guardianName) body.guardian = { name: v.guardianName, relation: v.guardianRelation || '代理人', ...(v.guardianPhone ? { phone: v.guardianPhone } : {}) };
      const p = await api<PersonItem>('/persons', { method: 'POST', body });
      onDone(p);
    } catch (e) {
      if (e instanceof ApiError) {
        const field = (e.details as any)?.field;
        if (field === 'residentId' || field === 'disabilityCertNo' || field === 'hukouOrgCode') {
          form.setFields([{ name: field, errors: [bilingual(e.message, lang)] }]);
        }
        if (e.code === 'PERSON_EXISTS' && (e.details as any)?.personId) setExisting((e.details as any).personId);
      }
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const useExisting = async (id: string) => {
    try {
      onDone(await api<PersonItem>(`/persons/${id}`));
    } catch (e) {
      setError(e);
    }
  };

  if (!villages && !error) return <Loading />;
  return (
    <Form form={form} layout="vertical" onFinish={onFinish} disabled={busy} name="register-person">
      <Form.Item
        name="residentId"
        label={t('residentId')}
        rules={[{ required: true, message: t('idFormat') }]}
        validateStatus={residentId.trim() && (complete || problem !== 'idFormat') ? (problem ? 'error' : 'success') : undefined}
        help={
          residentId.trim() ? (
            <span aria-live="polite">{problem ? (complete || problem !== 'idFormat' ? t(problem) : t('idFormat')) : t('idOk')}</span>
          ) : undefined
        }
      >
        <Input maxLength={18} autoComplete="off" spellCheck={false} className="mono" inputMode="text" />
      </Form.Item>
      {known ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={`${known.name} · ${known.residentId} · ${known.hukouOrgName}`}
          action={
            <Button size="small" onClick={() => onDone(known)}>
              {t('useExisting')}
            </Button>
          }
        />
      ) : null}
      <Form.Item name="name" label={t('name')} rules={[{ required: true, whitespace: true, message: `${t('required')}：${t('name')}` }]}>
        <Input maxLength={64} autoComplete="off" />
      </Form.Item>
      <Form.Item name="hukouOrgCode" label={t('hukouVillage')} rules={[{ required: true, message: `${t('required')}：${t('hukouVillage')}` }]}>
        <Select showSearch={{ optionFilterProp: 'label' }} options={(villages ?? []).map((v) => ({ value: v.code, label: v.label }))} />
      </Form.Item>
      <Form.Item name="phone" label={`${t('phone')}（${t('optional')}）`}>
        <Input inputMode="tel" maxLength={20} autoComplete="off" />
      </Form.Item>
      <Form.Item name="disabilityCertNo" label={`${t('certNo')}（${t('optional')}）`}>
        <Input maxLength={24} className="mono" autoComplete="off" />
      </Form.Item>
      <Form.Item name="hardship" label={`${t('hardship')}（${t('optional')}）`}>
        <Checkbox.Group options={HARDSHIP.map((h) => ({ value: h, label: hardshipLabel(lang, h) }))} aria-label={t('hardship')} />
      </Form.Item>
      <Space wrap align="start">
        <Form.Item name="guardianName" label={`${t('guardianName')}（${t('optional')}）`}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item name="guardianRelation" label={t('guardianRelation')}>
          <Input maxLength={32} />
        </Form.Item>
        <Form.Item name="guardianPhone" label={t('guardianPhone')}>
          <Input inputMode="tel" maxLength={20} />
        </Form.Item>
      </Space>
      {error ? <ErrorAlert error={error} /> : null}
      {existing ? (
        <Button style={{ marginBottom: 12 }} onClick={() => void useExisting(existing)}>
          {t('useExisting')}
        </Button>
      ) : null}
      <Button type="primary" htmlType="submit" loading={busy}>
        {t('registerPerson')}
      </Button>
    </Form>
  );
}

/** The programmes a role may register, in menu order (REGISTRARS mirrors the adapters). */
const programmesFor = (role: string | undefined) => PROGRAMME_IDS.filter((p) => !role || REGISTRARS[p].includes(role));

function RulesList({ rules }: { rules: Rule[] }) {
  const { t, pick } = useI18n();
  return (
    <ul className="rules-list">
      {rules.map((r) => (
        <li key={r.rule} data-rule={r.rule} data-ok={r.ok}>
          {r.ok ? <CheckCircleFilled className="rule-ok" aria-hidden /> : <CloseCircleFilled className="rule-fail" aria-hidden />}
          <div>
            <div>
              <strong className={r.ok ? 'rule-ok' : 'rule-fail'}>{r.ok ? t('ruleOk') : t('ruleFail')}</strong>：{pick(r.message, r.messageEn)}
            </div>
            <div className="muted small">
              <code>{r.rule}</code> · {r.version}
            </div>
          </div>
        </li>
      ))}
    </ul>
  );
}

export function NewCasePage() {
  const { t, lang, pick } = useI18n();
  const { user } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const allowed = programmesFor(user?.role);
  const [programme, setProgramme] = useState<ProgrammeId>(allowed[0] ?? 'cataract');
  const [person, setPerson] = useState<PersonItem | null>(null);
  const [detail, setDetail] = useState<PersonDetail | null>(null);
  const [mode, setMode] = useState<'search' | 'register'>('search');
  const [app, setApp] = useState<DetailsState>({ ready: true, details: {} });
  const [pre, setPre] = useState<Precheck | null>(null);
  const [preKey, setPreKey] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [runs, setRuns] = useState(0);
  const [receivedAt, setReceivedAt] = useState(''); // 受理日期 ('' = today)

  // What the pre-check is asked about: a result counts only for exactly these inputs.
  const key = person ? JSON.stringify({ programme, personId: person.id, details: app.details }) : null;
  const fresh = !!pre && preKey === key && !checking;

  // The person record in full (guardian, certificate) for the child-rehabilitation form.
  useEffect(() => {
    setDetail(null);
    if (!person || programme !== 'child_rehab') return;
    const ctl = new AbortController();
    api<PersonDetail>(`/persons/${person.id}`, { signal: ctl.signal })
      .then(setDetail)
      .catch((e) => (ctl.signal.aborted ? undefined : setError(e)));
    return () => ctl.abort();
  }, [person, programme]);

  // The pre-check as the form fills: once the person and the programme's required fields are there,
  // 400 ms after the last change (an older answer never overwrites a newer question).
  useEffect(() => {
    if (!person || !key || !app.ready) return;
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      setChecking(true);
      setError(null);
      api<Precheck>('/cases/precheck', { method: 'POST', body: { programme, personId: person.id, details: app.details }, signal: ctl.signal })
        .then((r) => {
          setPre(r);
          setPreKey(key);
        })
        .catch((e) => {
          if (!ctl.signal.aborted) setError(e);
        })
        .finally(() => {
          if (!ctl.signal.aborted) setChecking(false);
        });
    }, 400);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [key, runs]); // eslint-disable-line react-hooks/exhaustive-deps

  const resetFor = (p: ProgrammeId) => {
    setProgramme(p);
    setApp({ ready: p === 'cataract', details: {} });
    setPre(null);
    setPreKey(null);
    setError(null);
  };
  const pickPerson = (p: PersonItem) => {
    setPerson(p);
    setApp({ ready: programme === 'cataract', details: {} }); // the application form starts afresh for this person
    setPre(null);
    setPreKey(null);
    setError(null);
    message.success(`${t('selected')}：${p.name}`);
  };
  const start = async () => {
    if (!person) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ caseId: string; caseNo: string }>('/cases', { method: 'POST', body: { programme, personId: person.id, details: app.details, ...(receivedAt ? { receivedAt } : {}) } });
      message.success(t('caseStarted', { caseNo: r.caseNo }));
      navigate(`/app/cases/${r.caseId}`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'NOT_ELIGIBLE' && (e.details as any)?.rules && pre) setPre({ ...pre, eligible: false, rules: (e.details as any).rules });
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const title =
    programme === 'cataract' ? t('newCaseTitle') : programme === 'child_rehab' ? pick('新建儿童康复救助个案', 'New child-rehabilitation case') : pick('新建培训就业个案', 'New training case');
  const hasForm = programme !== 'cataract';
  const steps = useMemo(
    () => [{ title: t('stepPerson') }, ...(hasForm ? [{ title: pick('填写申请', 'Application') }] : []), { title: t('stepPrecheck') }, { title: t('stepStart') }],
    [t, pick, hasForm],
  );
  const current = !person ? 0 : hasForm && !app.ready ? 1 : !fresh ? steps.length - 2 : steps.length - 1;

  const personCard = (
    <Card title={<h2 className="card-h">{t('stepPerson')}</h2>} size="small">
      {person ? (
        <Alert
          type="success"
          showIcon
          title={`${t('selected')}：${person.name}`}
          description={`${person.residentId} · ${person.sex === 'F' ? t('sexF') : t('sexM')} · ${t('ageYears', { n: person.age })} · ${person.hukouOrgName}`}
          action={
            <Button size="small" onClick={() => (setPerson(null), setApp({ ready: programme === 'cataract', details: {} }), setPre(null), setPreKey(null))}>
              {t('reset')}
            </Button>
          }
        />
      ) : (
        <>
          <Space style={{ marginBottom: 12 }} wrap>
            <Button type={mode === 'search' ? 'primary' : 'default'} aria-pressed={mode === 'search'} onClick={() => setMode('search')}>
              {t('searchPerson')}
            </Button>
            <Button type={mode === 'register' ? 'primary' : 'default'} aria-pressed={mode === 'register'} onClick={() => setMode('register')}>
              {t('registerPerson')}
            </Button>
          </Space>
          {mode === 'search' ? <PersonSearch onPick={pickPerson} /> : <RegisterPerson onDone={pickPerson} />}
        </>
      )}
    </Card>
  );

  const applicationCard = hasForm ? (
    <Card title={<h2 className="card-h">{pick('填写申请', 'Application')}</h2>} size="small">
      {!person ? (
        <p className="muted">{pick('先选择服务对象。', 'Choose the person first.')}</p>
      ) : programme === 'child_rehab' ? (
        detail ? (
          <ChildRehabForm key={`${person.id}-rehab`} person={detail} onChange={setApp} onPersonChange={setDetail} />
        ) : (
          <Loading />
        )
      ) : (
        <TrainingForm key={`${person.id}-training`} onChange={setApp} />
      )}
    </Card>
  ) : null;

  const precheckCard = (
    <Card title={<h2 className="card-h">{t('stepPrecheck')}</h2>} size="small">
      {!person ? <p className="muted">{t('newCaseIntro')}</p> : null}
      {person && !app.ready ? (
        <p className="muted">{programme === 'child_rehab' ? pick('选择残疾类别后，预审结果会随填写逐条更新。', 'Choose the category: the rules are then checked as you fill the form.') : pick('选择培训班后，预审结果会随填写逐条更新。', 'Choose the course: the rules are then checked as you fill the form.')}</p>
      ) : null}
      <div role="status" aria-live="polite" className="muted small" style={{ minHeight: 20 }}>
        {checking
          ? pick('正在预审…', 'Checking…')
          : pre && fresh
            ? pick(`预审已更新：${pre.rules.length} 条规则中 ${pre.rules.filter((r) => r.ok).length} 条通过`, `Pre-check updated: ${pre.rules.filter((r) => r.ok).length} of ${pre.rules.length} rules met`)
            : ''}
      </div>
      {pre ? (
        <section aria-labelledby="pre-h" style={{ opacity: fresh ? 1 : 0.6 }}>
          <Typography.Title level={3} id="pre-h" style={{ fontSize: 16 }}>
            {t('precheckTitle')}
          </Typography.Title>
          <Alert type={pre.eligible ? 'success' : 'error'} showIcon title={pre.eligible ? t('eligible') : t('notEligible')} style={{ marginBottom: 8 }} />
          <RulesList rules={pre.rules} />
          <p style={{ marginTop: 8 }}>
            {programme !== 'training' ? <Tone tone="purple">{t('priorityScore', { n: pre.priority })}</Tone> : null}
            {pre.campaign ? (
              <span className="muted small">
                {pre.campaign.name} · {formatDate(pre.campaign.screeningStart, lang)}
              </span>
            ) : null}
            {pre.institution?.outOfArea ? <Tone tone="orange">{pick('异地康复：家庭先行垫付，按户籍地标准报销', 'out of area: the family pays and claims back at the home rate')}</Tone> : null}
            {pre.waitlisted ? <Tone tone="orange">{pick('培训班已满：审批后进入候补', 'course full: waitlisted after approval')}</Tone> : null}
          </p>
          {pre.waitsForNextCampaign ? <Alert type="warning" showIcon title={t('waitsNext')} /> : null}
          <p className="muted small">
            {t('settingsVersion')}：<code>{pre.settingsVersion}</code>
          </p>
        </section>
      ) : null}
      {person && app.ready ? <ReceiptDateField value={receivedAt} onChange={setReceivedAt} /> : null}
      {person && app.ready ? (
        <Space wrap>
          {pre ? (
            <Button type="primary" disabled={!fresh || !pre.eligible || !!receiptProblem(receivedAt)} loading={busy} onClick={() => void start()}>
              {t('startCase')}
            </Button>
          ) : null}
          <Button onClick={() => setRuns((n) => n + 1)} disabled={busy} loading={checking && !pre}>
            {t('runPrecheck')}
          </Button>
        </Space>
      ) : null}
      {error ? <ErrorAlert error={error} style={{ marginTop: 12 }} /> : null}
    </Card>
  );

  return (
    <>
      <PageHeader title={title} intro={t('newCaseIntro')} />
      {allowed.length > 1 ? (
        <div style={{ marginBottom: 16 }}>
          <span id="programme-choice" className="field-label">
            {pick('服务项目', 'Programme')}
          </span>
          <Radio.Group
            aria-labelledby="programme-choice"
            value={programme}
            onChange={(e) => resetFor(e.target.value)}
            optionType="button"
            buttonStyle="solid"
            options={allowed.map((p) => ({ value: p, label: programmeLabel(lang, p) }))}
          />
        </div>
      ) : null}
      <Steps current={current} items={steps} style={{ marginBottom: 16 }} size="small" aria-label={title} />
      <div className="card-grid">
        {personCard}
        {applicationCard}
        {precheckCard}
      </div>
    </>
  );
}
