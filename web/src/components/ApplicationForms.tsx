/**
 * The programme-specific part of a new case (POST /cases `details`), as the adapters read it:
 * child rehabilitation (src/cases/programmes/child-rehab.adapter.ts) and training
 * (src/cases/programmes/training.adapter.ts). Each form reports its details on every change and
 * whether the fields the pre-check needs are there; the page then asks the server to explain the
 * eligibility rules (debounced), so the caseworker sees each rule turn green as they fill the form.
 */
import { Alert, Checkbox, Form, Input, Radio, Select, Space } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api, qs } from '../api';
import { formatDate, shanghaiToday } from '../format';
import { useI18n } from '../i18n';
import {
  courseTypeLabel,
  DECLARED_GROUPS,
  EDUCATION,
  educationLabel,
  ITEMS_BY_CATEGORY,
  priorityGroupLabel,
  REHAB_CATEGORIES,
  REHAB_SERVICE,
  rehabCategoryLabel,
  rehabItemLabel,
  type RehabCategory,
} from '../programmes';
import type { Partner } from '../types';
import { ErrorAlert } from './common';
import { PersonEditButton } from './PersonEdit';
import { PlacesTag, YesNo } from './fields';

export interface DetailsState {
  /** The fields the pre-check needs are present (the page calls it only then). */
  ready: boolean;
  details: Record<string, unknown>;
}

/** The person as GET /persons/:id shows it (guardian and certificate matter to child rehabilitation). */
export interface PersonDetail {
  id: string;
  name: string;
  birthDate: string;
  age: number;
  disabilityCertNo: string | null;
  disabilityCategory: { code: number; name: string; nameEn?: string } | null;
  guardian: { name: string; relation: string; phone: string | null } | null;
  hardship: string[];
  /** Residence village (居住地): an application under a residence permit goes to its county. */
  residenceOrgCode?: string | null;
  residenceOrgName?: string | null;
}

const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : '');


// ---- child rehabilitation ---------------------------------------------------------------------

export function childRehabDetails(v: Record<string, any>): DetailsState {
  const d: Record<string, unknown> = {};
  if (v.category) d.category = v.category;
  if (Array.isArray(v.needs) && v.needs.length) d.needs = v.needs;
  if (v.evidence === 'diagnosis' && (trimmed(v.diagHospital) || v.diagDate || v.diagCategory)) {
    d.diagnosis = { hospital: trimmed(v.diagHospital), date: v.diagDate ?? '', category: v.diagCategory ?? v.category };
  }
  if (v.institutionId) d.institutionId = v.institutionId;
  if (Array.isArray(v.priorityGroups) && v.priorityGroups.length) d.priorityGroups = v.priorityGroups;
  if (v.residence === 'residence_permit') {
    d.residence = 'residence_permit';
    d.residencePermit = { number: trimmed(v.permitNo), validUntil: v.permitUntil ?? '' };
  }
  if (trimmed(v.agentName)) d.agent = { name: trimmed(v.agentName), relation: trimmed(v.agentRelation) || '代理人' };
  return { ready: !!v.category, details: d };
}

function RehabInstitutions({ category }: { category: RehabCategory | undefined }) {
  const { t, pick } = useI18n();
  const [partners, setPartners] = useState<Partner[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<{ items: Partner[] }>(`/partners${qs({ kind: 'rehab_institution', status: 'active' })}`)
      .then((r) => setPartners(r.items))
      .catch(setError);
  }, []);
  const offering = useMemo(() => (partners ?? []).filter((p) => category && p.services.includes(REHAB_SERVICE[category])), [partners, category]);
  const label = pick('定点康复机构', 'Designated rehabilitation institution');
  if (error) return <ErrorAlert error={error} />;
  if (!partners) return <span role="status">{t('loading')}</span>;
  return (
    <Form.Item
      name="institutionId"
      label={label}
      extra={category ? pick(`只列出提供「${rehabCategoryLabel('zh-CN', category)}」康复服务、合作中的机构`, `Only active institutions offering ${category} rehabilitation`) : pick('请先选择残疾类别', 'Choose the category first')}
    >
      {category && offering.length === 0 ? (
        <Alert type="warning" showIcon title={pick('本辖区没有提供该类别康复服务的定点机构', 'No designated institution here offers this service')} />
      ) : (
        <Radio.Group aria-label={label}>
          <Space orientation="vertical">
            {offering.map((p) => (
              <Radio key={p.id} value={p.id}>
                {p.name}{' '}
                <PlacesTag partner={p} fullText={pick('名额已满：审批后候补', 'full: waitlisted after approval')} />
              </Radio>
            ))}
          </Space>
        </Radio.Group>
      )}
    </Form.Item>
  );
}

/** onPersonChange: the person was edited from the form (guardian or certificate added); the page shows the saved record. */
export function ChildRehabForm({ person, onChange, onPersonChange }: { person: PersonDetail; onChange(s: DetailsState): void; onPersonChange?(p: PersonDetail): void }) {
  const { lang, pick, t } = useI18n();
  const [form] = Form.useForm();
  const category: RehabCategory | undefined = Form.useWatch('category', form);
  const evidence: string | undefined = Form.useWatch('evidence', form);
  const residence: string | undefined = Form.useWatch('residence', form);
  const today = shanghaiToday();
  const items = category ? ITEMS_BY_CATEGORY[category] : [];

  const onValuesChange = (changed: Record<string, any>, all: Record<string, any>) => {
    if ('category' in changed) {
      // Another category: the items and institutions offered change, the diagnosis should match it.
      const reset: Record<string, unknown> = { needs: [], institutionId: undefined, diagCategory: changed.category };
      form.setFieldsValue(reset);
      all = { ...all, ...reset };
    }
    onChange(childRehabDetails(all));
  };

  return (
    <Form form={form} layout="vertical" name="child-rehab-application" onValuesChange={onValuesChange} initialValues={{ evidence: person.disabilityCertNo ? 'certificate' : 'diagnosis', residence: 'hukou' }}>
      <fieldset className="fieldset">
        <legend>{pick('监护人与代理人', 'Guardian and agent')}</legend>
        {person.guardian ? (
          <p>
            {pick('监护人', 'Guardian')}：<strong>{person.guardian.name}</strong>（{person.guardian.relation}）{person.guardian.phone ? ` · ${person.guardian.phone}` : ''}
          </p>
        ) : (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            title={pick('该儿童的人员信息中没有监护人', 'No guardian is recorded for this child')}
            description={t('guardianMissingEdit')}
            action={<PersonEditButton personId={person.id} onSaved={onPersonChange} />}
          />
        )}
        <Space wrap align="start">
          <Form.Item name="agentName" label={`${pick('代理人姓名', 'Agent name')}（${pick('选填', 'optional')}）`}>
            <Input maxLength={64} autoComplete="off" />
          </Form.Item>
          <Form.Item name="agentRelation" label={`${pick('与儿童关系', 'Relation to the child')}（${pick('选填', 'optional')}）`}>
            <Input maxLength={32} autoComplete="off" />
          </Form.Item>
        </Space>
      </fieldset>

      <Form.Item name="category" label={pick('残疾类别', 'Disability category')} rules={[{ required: true, message: pick('请选择残疾类别', 'Choose the category') }]}>
        <Radio.Group aria-label={pick('残疾类别', 'Disability category')} optionType="button" buttonStyle="solid" options={REHAB_CATEGORIES.map((c) => ({ value: c, label: rehabCategoryLabel(lang, c) }))} />
      </Form.Item>

      <Form.Item name="needs" label={pick('申请救助项目', 'Items applied for')} extra={pick('康复训练为所有类别的基本项目；以下为该类别可另行申请的项目。', 'Rehabilitation training is included for every category; these items can be added for this category.')}>
        {items.length ? (
          <Checkbox.Group aria-label={pick('申请救助项目', 'Items applied for')} options={items.map((i) => ({ value: i, label: rehabItemLabel(lang, i) }))} />
        ) : (
          <span className="muted">{category ? `${rehabItemLabel(lang, 'training')}（${pick('该类别无其他项目', 'no other items for this category')}）` : pick('请先选择残疾类别', 'Choose the category first')}</span>
        )}
      </Form.Item>

      <fieldset className="fieldset">
        <legend>{pick('残疾证明', 'Evidence of disability')}</legend>
        <Form.Item name="evidence" label={pick('证明方式', 'Evidence')}>
          <Radio.Group aria-label={pick('证明方式', 'Evidence')}>
            <Radio value="certificate" disabled={!person.disabilityCertNo}>
              {pick('残疾人证', 'Disability certificate')}
              {person.disabilityCertNo ? `（${person.disabilityCertNo}${person.disabilityCategory ? ` · ${pick(person.disabilityCategory.name, person.disabilityCategory.nameEn)}` : ''}）` : `（${pick('未持证', 'none on record')}）`}
            </Radio>
            <Radio value="diagnosis">{pick('医院诊断', 'Hospital diagnosis')}</Radio>
          </Radio.Group>
        </Form.Item>
        {evidence === 'diagnosis' ? (
          <div className="form-grid">
            <Form.Item name="diagHospital" label={pick('诊断医院', 'Diagnosing hospital')}>
              <Input maxLength={120} autoComplete="off" />
            </Form.Item>
            <Form.Item name="diagDate" label={pick('诊断日期', 'Diagnosis date')}>
              <Input type="date" max={today} />
            </Form.Item>
            <Form.Item name="diagCategory" label={pick('诊断类别', 'Diagnosed category')}>
              <Select aria-label={pick('诊断类别', 'Diagnosed category')} options={REHAB_CATEGORIES.map((c) => ({ value: c, label: rehabCategoryLabel(lang, c) }))} />
            </Form.Item>
          </div>
        ) : null}
      </fieldset>

      <RehabInstitutions category={category} />

      <Form.Item name="residence" label={pick('户籍或居住', 'Residence')}>
        <Radio.Group aria-label={pick('户籍或居住', 'Residence')}>
          <Radio value="hukou">{pick('本地户籍', 'Local hukou')}</Radio>
          <Radio value="residence_permit">{pick('持本地居住证', 'Local residence permit')}</Radio>
        </Radio.Group>
      </Form.Item>
      {residence === 'residence_permit' ? (
        person.residenceOrgCode ? (
          <p>
            {t('residenceVillage')}：<strong>{person.residenceOrgName ?? ''}（{person.residenceOrgCode}）</strong>
          </p>
        ) : (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            title={pick('人员信息中没有居住地', 'No residence village is recorded')}
            description={pick('按居住证申请的个案由居住地县残联审核，须先在人员信息中登记居住地村（社区）。', 'An application under a residence permit is reviewed by the residence county federation: record the residence village on the person first.')}
            action={<PersonEditButton personId={person.id} onSaved={onPersonChange} />}
          />
        )
      ) : null}
      {residence === 'residence_permit' ? (
        <Space wrap align="start">
          <Form.Item name="permitNo" label={pick('居住证号码', 'Residence permit number')}>
            <Input maxLength={40} autoComplete="off" className="mono" />
          </Form.Item>
          <Form.Item name="permitUntil" label={pick('居住证有效期至', 'Permit valid until')}>
            <Input type="date" min={today} />
          </Form.Item>
        </Space>
      ) : null}

      <Form.Item
        name="priorityGroups"
        label={`${pick('优先救助对象', 'Priority groups')}（${pick('选填', 'optional')}）`}
        extra={person.hardship.length ? pick('低保、建档立卡等困难情况按人员信息自动计入。', 'Hardship on the person record (minimum allowance etc.) counts automatically.') : undefined}
      >
        <Checkbox.Group aria-label={pick('优先救助对象', 'Priority groups')} options={DECLARED_GROUPS.map((g) => ({ value: g, label: priorityGroupLabel(lang, g) }))} />
      </Form.Item>
    </Form>
  );
}

// ---- training ----------------------------------------------------------------------------------

interface Course {
  id: string;
  name: string;
  type: string;
  orgUnitName: string;
  institutionName: string;
  startDate: string;
  endDate: string;
  hours: number;
  places: number;
  placesLeft: number;
  waiting: number;
  location: string;
  status: string;
}

export function trainingDetails(v: Record<string, any>): DetailsState {
  const d: Record<string, unknown> = {};
  if (v.courseId) d.courseId = v.courseId;
  if (v.education) d.education = v.education;
  if (typeof v.selfCare === 'boolean') d.selfCare = v.selfCare;
  return { ready: !!v.courseId, details: d };
}

export function TrainingForm({ onChange }: { onChange(s: DetailsState): void }) {
  const { t, lang, pick } = useI18n();
  const [form] = Form.useForm();
  const [courses, setCourses] = useState<Course[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const courseId: string | undefined = Form.useWatch('courseId', form);
  useEffect(() => {
    api<{ items: Course[] }>(`/training/courses${qs({ status: 'open' })}`)
      .then((r) => setCourses(r.items))
      .catch(setError);
  }, []);
  const course = courses?.find((c) => c.id === courseId);
  const courseLabel = pick('培训班', 'Course');
  if (error) return <ErrorAlert error={error} />;
  if (!courses) return <span role="status">{t('loading')}</span>;
  return (
    <Form form={form} layout="vertical" name="training-application" onValuesChange={(_, all) => onChange(trainingDetails(all))}>
      {courses.length === 0 ? <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={pick('本县目前没有报名中的培训班', 'No course of this county is open for enrolment')} /> : null}
      <Form.Item name="courseId" label={courseLabel} rules={[{ required: true, message: pick('请选择培训班', 'Choose a course') }]}>
        <Select
          aria-label={courseLabel}
          showSearch={{ optionFilterProp: 'label' }}
          options={courses.map((c) => ({
            value: c.id,
            label: `${c.name} · ${courseTypeLabel(lang, c.type)} · ${formatDate(c.startDate, lang)}–${formatDate(c.endDate, lang)}`,
          }))}
        />
      </Form.Item>
      {course ? (
        <p className="muted small" aria-live="polite">
          {course.institutionName} · {course.location} · {pick(`${course.hours} 课时`, `${course.hours} hours`)} ·{' '}
          {course.placesLeft > 0 ? pick(`尚余 ${course.placesLeft} / ${course.places} 个名额`, `${course.placesLeft} of ${course.places} places left`) : pick(`已满，候补 ${course.waiting} 人`, `full, ${course.waiting} waiting`)}
        </p>
      ) : null}
      <Form.Item name="education" label={pick('文化程度', 'Education')} rules={[{ required: true, message: pick('请选择文化程度', 'Choose the education level') }]}>
        <Select aria-label={pick('文化程度', 'Education')} options={EDUCATION.map((e) => ({ value: e, label: educationLabel(lang, e) }))} />
      </Form.Item>
      <Form.Item name="selfCare" label={pick('生活能否自理', 'Able to look after themselves')} rules={[{ required: true, message: pick('请确认生活能否自理', 'State whether they can look after themselves') }]}>
        <YesNo label={pick('生活能否自理', 'Able to look after themselves')} />
      </Form.Item>
    </Form>
  );
}

/** How far back a receipt date may lie (the api refuses more: MAX_RECEIPT_DAYS_BACK). */
export const RECEIPT_MAX_DAYS_BACK = 30;

/** Why a receipt date (YYYY-MM-DD, '' = today) would be refused, or null. */
export function receiptProblem(value: string, today = shanghaiToday()): 'receivedAtFuture' | 'receivedAtTooOld' | null {
  if (!value) return null;
  if (value > today) return 'receivedAtFuture';
  const earliest = new Date(Date.parse(`${today}T00:00:00Z`) - RECEIPT_MAX_DAYS_BACK * 86_400_000).toISOString().slice(0, 10);
  return value < earliest ? 'receivedAtTooOld' : null;
}

/**
 * 受理日期 (optional): the day a paper application was received at the village. The first step's
 * time limit counts from it; empty = today. Not in the future, at most 30 days back.
 */
export function ReceiptDateField({ value, onChange }: { value: string; onChange(v: string): void }) {
  const { t } = useI18n();
  const today = shanghaiToday();
  const earliest = new Date(Date.parse(`${today}T00:00:00Z`) - RECEIPT_MAX_DAYS_BACK * 86_400_000).toISOString().slice(0, 10);
  const problem = receiptProblem(value, today);
  return (
    <div style={{ marginBottom: 12 }}>
      <label htmlFor="received-at" className="field-label">
        {t('receivedAt')}（{t('optional')}）
      </label>
      <Input
        id="received-at"
        type="date"
        value={value}
        min={earliest}
        max={today}
        onChange={(e) => onChange(e.target.value)}
        status={problem ? 'error' : undefined}
        aria-describedby="received-at-help"
        aria-invalid={problem ? true : undefined}
        style={{ maxWidth: 200 }}
      />
      <div id="received-at-help" className={problem ? 'small' : 'muted small'} role={problem ? 'alert' : undefined} style={{ marginTop: 4, color: problem ? '#a8071a' : undefined }}>
        {problem ? t(problem) : t('receivedAtHelp')}
      </div>
    </div>
  );
}
