/**
 * Editing a person after registration (PUT /persons/:id): phone, guardian, disability certificate,
 * category and grade, hardship flags, residence village. The resident ID, birth date, sex, name and
 * hukou village are shown but not editable (the server refuses them with its reason). Only what the
 * user changed is sent; the server's refusal (e.g. a certificate that does not match the resident ID)
 * is shown next to the field and in an alert. Opened from the case page's person summary and from the
 * child-rehabilitation form when the guardian or certificate is missing.
 */
import { AutoComplete, Button, Checkbox, Form, Input, Modal, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../api';
import { bilingual, useI18n } from '../i18n';
import { disabilityLabel, HARDSHIP, hardshipLabel } from '../labels';
import { useSession } from '../session';
import type { OrgNode } from '../types';
import { ErrorAlert, Loading } from './common';

/** Roles the api lets edit a person (PUT /persons/:id). */
export const PERSON_EDITORS = ['village_caseworker', 'township_officer', 'county_officer', 'admin'];

/** GET /persons/:id (the fields this form shows). */
export interface EditablePerson {
  id: string;
  name: string;
  residentId: string;
  masked: boolean;
  sex: 'M' | 'F';
  birthDate: string;
  age: number;
  phone: string | null;
  hukouOrgCode: string;
  hukouOrgName: string;
  residenceOrgCode: string | null;
  residenceOrgName: string | null;
  disabilityCertNo: string | null;
  disabilityCategory: { code: number; name: string; nameEn?: string } | null;
  disabilityGrade: number | null;
  hardship: string[];
  guardian: { name: string; relation: string; phone: string | null } | null;
}

interface Values {
  phone?: string;
  guardianName?: string;
  guardianRelation?: string;
  guardianPhone?: string;
  disabilityCertNo?: string;
  removeCert?: boolean;
  disabilityCategory?: number | null;
  disabilityGrade?: number | null;
  hardship?: string[];
  residenceOrgCode?: string;
}

const FIELDS = ['phone', 'disabilityCertNo', 'disabilityCategory', 'disabilityGrade', 'residenceOrgCode', 'hardship'];
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const clean = (v: string | undefined) => (v ?? '').trim();

/** The PUT body: only what differs from the record (null clears). Exported for the unit test of the form logic. */
export function changesOf(p: EditablePerson, v: Values): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (clean(v.phone) !== (p.phone ?? '')) body.phone = clean(v.phone) || null;
  const g = clean(v.guardianName)
    ? { name: clean(v.guardianName), relation: clean(v.guardianRelation) || '监护人', ...(clean(v.guardianPhone) ? { phone: clean(v.guardianPhone) } : {}) }
    : null;
  const before = p.guardian ? { name: p.guardian.name, relation: p.guardian.relation, ...(p.guardian.phone ? { phone: p.guardian.phone } : {}) } : null;
  if (!same(g, before)) body.guardian = g;
  if (v.removeCert) body.disabilityCertNo = null;
  else if (clean(v.disabilityCertNo)) body.disabilityCertNo = clean(v.disabilityCertNo).toUpperCase();
  // A new certificate carries category and grade: the server takes them from it unless they were changed here too.
  if (!same(v.disabilityCategory, p.disabilityCategory?.code)) body.disabilityCategory = v.disabilityCategory ?? null;
  if (!same(v.disabilityGrade, p.disabilityGrade)) body.disabilityGrade = v.disabilityGrade ?? null;
  if (!same([...(v.hardship ?? [])].sort(), [...p.hardship].sort())) body.hardship = v.hardship ?? [];
  if (clean(v.residenceOrgCode) !== (p.residenceOrgCode ?? '')) body.residenceOrgCode = clean(v.residenceOrgCode) || null;
  return body;
}

function villagesOf(n: OrgNode, trail: string[] = []): { value: string; label: string }[] {
  const here = [...trail, n.name];
  if (n.level === 'village') return [{ value: n.code, label: `${here.slice(-2).join(' / ')}（${n.code}）` }];
  return n.children.flatMap((c) => villagesOf(c, here));
}

/** The "edit person" button and its dialog; renders nothing for roles that cannot edit people. */
export function PersonEditButton({ personId, onSaved, size }: { personId: string; onSaved?(p: EditablePerson): void; size?: 'small' | 'middle' }) {
  const { t } = useI18n();
  const { user } = useSession();
  const [open, setOpen] = useState(false);
  if (!user || !PERSON_EDITORS.includes(user.role)) return null;
  return (
    <>
      <Button size={size ?? 'small'} onClick={() => setOpen(true)}>
        {t('editPerson')}
      </Button>
      {open ? (
        <PersonEditDialog
          personId={personId}
          onClose={() => setOpen(false)}
          onSaved={(p) => {
            setOpen(false);
            onSaved?.(p);
          }}
        />
      ) : null}
    </>
  );
}

function PersonEditDialog({ personId, onClose, onSaved }: { personId: string; onClose(): void; onSaved(p: EditablePerson): void }) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<Values>();
  const [person, setPerson] = useState<EditablePerson | null>(null);
  const [villages, setVillages] = useState<{ value: string; label: string }[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [nothing, setNothing] = useState(false);
  const removeCert = Form.useWatch('removeCert', form);

  useEffect(() => {
    const ctl = new AbortController();
    api<EditablePerson>(`/persons/${personId}`, { signal: ctl.signal })
      .then((p) => {
        setPerson(p);
        form.setFieldsValue({
          phone: p.phone ?? '',
          guardianName: p.guardian?.name ?? '',
          guardianRelation: p.guardian?.relation ?? '',
          guardianPhone: p.guardian?.phone ?? '',
          disabilityCategory: p.disabilityCategory?.code ?? null,
          disabilityGrade: p.disabilityGrade,
          hardship: p.hardship,
          residenceOrgCode: p.residenceOrgCode ?? '',
        });
      })
      .catch((e) => (ctl.signal.aborted ? undefined : setError(e)));
    api<OrgNode>('/org-units/tree', { signal: ctl.signal })
      .then((tree) => setVillages(villagesOf(tree)))
      .catch(() => undefined); // the code can still be typed
    return () => ctl.abort();
  }, [personId, form]);

  const save = async (v: Values) => {
    if (!person) return;
    const body = changesOf(person, v);
    setNothing(Object.keys(body).length === 0);
    if (Object.keys(body).length === 0) return;
    setBusy(true);
    setError(null);
    form.setFields(FIELDS.map((name) => ({ name: name as keyof Values, errors: [] })));
    try {
      const saved = await api<EditablePerson>(`/persons/${personId}`, { method: 'PUT', body });
      onSaved(saved);
    } catch (e) {
      if (e instanceof ApiError) {
        const field = (e.details as { field?: string } | undefined)?.field;
        if (field && FIELDS.includes(field)) form.setFields([{ name: field as keyof Values, errors: [bilingual(e.message, lang)] }]);
      }
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const title = person ? t('editPersonTitle', { name: person.name }) : t('editPerson');
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      width={640}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>{t('cancel')}</Button>
          <Button type="primary" loading={busy} disabled={!person} onClick={() => form.submit()}>
            {t('save')}
          </Button>
        </Space>
      }
    >
      {!person && !error ? <Loading /> : null}
      {person ? (
        <Form form={form} layout="vertical" name="person-edit" onFinish={save} disabled={busy}>
          <p className="muted small" id="person-edit-fixed">
            {t('editPersonFixed', { residentId: person.residentId, birthDate: person.birthDate, hukou: `${person.hukouOrgName}（${person.hukouOrgCode}）` })}
          </p>
          <Form.Item name="phone" label={t('phone')}>
            <Input inputMode="tel" maxLength={20} autoComplete="off" />
          </Form.Item>
          <fieldset className="fieldset">
            <legend>{t('guardian')}</legend>
            <Space wrap align="start">
              <Form.Item name="guardianName" label={t('guardianName')} extra={person.guardian ? t('guardianClearHint') : undefined}>
                <Input maxLength={64} autoComplete="off" />
              </Form.Item>
              <Form.Item name="guardianRelation" label={t('guardianRelation')}>
                <Input maxLength={32} autoComplete="off" />
              </Form.Item>
              <Form.Item name="guardianPhone" label={t('guardianPhone')}>
                <Input inputMode="tel" maxLength={20} autoComplete="off" />
              </Form.Item>
            </Space>
          </fieldset>
          <fieldset className="fieldset">
            <legend>{t('certNo')}</legend>
            <Form.Item
              name="disabilityCertNo"
              label={t('certNo')}
              extra={person.disabilityCertNo ? t('certKeepHint', { current: person.disabilityCertNo }) : t('certNewHint')}
            >
              <Input maxLength={24} className="mono" autoComplete="off" spellCheck={false} disabled={!!removeCert} />
            </Form.Item>
            {person.disabilityCertNo ? (
              <Form.Item name="removeCert" valuePropName="checked">
                <Checkbox>{t('removeCert')}</Checkbox>
              </Form.Item>
            ) : null}
            <Space wrap align="start">
              <Form.Item name="disabilityCategory" label={t('disabilityCategory')}>
                <Select
                  allowClear
                  style={{ minWidth: 160 }}
                  aria-label={t('disabilityCategory')}
                  options={[1, 2, 3, 4, 5, 6, 7].map((c) => ({ value: c, label: disabilityLabel(lang, String(c)) }))}
                />
              </Form.Item>
              <Form.Item name="disabilityGrade" label={t('disabilityGrade')}>
                <Select allowClear style={{ minWidth: 120 }} aria-label={t('disabilityGrade')} options={[1, 2, 3, 4].map((g) => ({ value: g, label: t('gradeN', { n: g }) }))} />
              </Form.Item>
            </Space>
          </fieldset>
          <Form.Item name="hardship" label={t('hardship')}>
            <Checkbox.Group options={HARDSHIP.map((h) => ({ value: h, label: hardshipLabel(lang, h) }))} aria-label={t('hardship')} />
          </Form.Item>
          <Form.Item name="residenceOrgCode" label={t('residenceVillage')} extra={t('residenceVillageHelp')}>
            <AutoComplete
              aria-label={t('residenceVillage')}
              options={villages}
              allowClear
              filterOption={(input, o) => !!o && (o.label as string).toLowerCase().includes(input.toLowerCase())}
            >
              <Input inputMode="numeric" maxLength={12} className="mono" autoComplete="off" />
            </AutoComplete>
          </Form.Item>
          {nothing ? (
            <p role="status" className="muted">
              {t('nothingChanged')}
            </p>
          ) : null}
        </Form>
      ) : null}
      <ErrorAlert error={error} />
    </Modal>
  );
}
