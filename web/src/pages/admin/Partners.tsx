import { App, Button, Form, Input, InputNumber, Modal, Select, Space, Table } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { EmptyState, ErrorAlert, errorMessage, PageHeader, Tone } from '../../components/common';
import { formatDate } from '../../format';
import { useGet } from '../../hooks';
import { useI18n } from '../../i18n';
import { PARTNER_KINDS, partnerKindLabel } from '../../labels';
import { orgOption, useOrgTree } from '../../orgs';
import { useSession } from '../../session';
import type { Partner } from '../../types';

const SERVICES = ['cataract_screening', 'cataract_surgery', 'child_rehab', 'hearing_aid', 'cochlear_implant', 'vocational_training', 'assistive_devices'];

/** The service codes of the agreements (free codes; these are the ones the programmes and the demo use). */
const SERVICE_LABELS: Record<string, [string, string]> = {
  cataract_screening: ['白内障筛查', 'cataract screening'],
  cataract_surgery: ['白内障手术', 'cataract surgery'],
  child_rehab: ['儿童康复', 'child rehabilitation'],
  child_rehab_training: ['儿童康复训练', 'child rehabilitation training'],
  autism_training: ['孤独症训练', 'autism training'],
  hearing_rehab: ['听力康复', 'hearing rehabilitation'],
  rehab_vision: ['视力康复', 'vision rehabilitation'],
  rehab_hearing: ['听力康复', 'hearing rehabilitation'],
  rehab_speech: ['言语康复', 'speech rehabilitation'],
  rehab_limb: ['肢体康复', 'limb rehabilitation'],
  rehab_intellectual: ['智力康复', 'intellectual rehabilitation'],
  rehab_autism: ['孤独症康复', 'autism rehabilitation'],
  hearing_aid: ['助听器', 'hearing aids'],
  cochlear_implant: ['人工耳蜗', 'cochlear implants'],
  vocational_training: ['职业技能培训', 'vocational training'],
  blind_massage_training: ['盲人按摩培训', 'blind massage training'],
  ecommerce_training: ['电子商务培训', 'e-commerce training'],
  job_placement: ['就业安置', 'job placement'],
  assistive_devices: ['辅助器具', 'assistive devices'],
  device_fitting: ['辅具适配', 'device fitting'],
};
const serviceLabel = (lang: string, code: string) => SERVICE_LABELS[code]?.[lang === 'en' ? 1 : 0] ?? code;

function PartnerModal({ editing, onClose, onSaved }: { editing: Partner | 'new' | null; onClose(): void; onSaved(): void }) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm();
  const { flat } = useOrgTree();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setError(null);
    form.resetFields();
    if (editing && editing !== 'new') {
      form.setFieldsValue({ name: editing.name, capacity: editing.capacity, agreementStart: editing.agreementStart, agreementEnd: editing.agreementEnd, services: editing.services });
    }
  }, [editing, form]);
  if (!editing) return null;
  const save = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is missing or wrong beside each field
    setBusy(true);
    setError(null);
    const capacity = v.capacity === undefined || v.capacity === null || v.capacity === '' ? null : Number(v.capacity);
    try {
      if (editing === 'new') await api('/partners', { method: 'POST', body: { ...v, capacity } });
      else await api(`/partners/${editing.id}`, { method: 'PUT', body: { name: v.name, capacity, agreementStart: v.agreementStart, agreementEnd: v.agreementEnd, services: v.services } });
      onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const req = (label: string) => [{ required: true, message: `${t('required')}：${label}` }];
  return (
    <Modal open title={editing === 'new' ? t('createPartner') : `${t('editPartner')}：${editing.name}`} onCancel={onClose} onOk={() => void save()} okText={t('save')} cancelText={t('cancel')} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" name="partner-form">
        <Form.Item name="name" label={t('name')} rules={req(t('name'))}>
          <Input maxLength={120} />
        </Form.Item>
        {editing === 'new' ? (
          <>
            <Form.Item name="kind" label={t('kind')} rules={req(t('kind'))}>
              <Select options={PARTNER_KINDS.map((k) => ({ value: k, label: partnerKindLabel(lang, k) }))} />
            </Form.Item>
            <Form.Item name="orgUnitCode" label={t('orgUnit')} rules={req(t('orgUnit'))}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={flat.filter((o) => o.level === 'city' || o.level === 'county').map(orgOption)} />
            </Form.Item>
          </>
        ) : null}
        <Form.Item name="services" label={t('services')} rules={req(t('services'))}>
          <Select mode="tags" options={SERVICES.map((s) => ({ value: s, label: serviceLabel(lang, s) }))} />
        </Form.Item>
        <Form.Item name="capacity" label={t('capacity')} extra={t('capacityHint')}>
          <InputNumber min={0} max={1000000} style={{ width: '100%' }} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="agreementStart" label={t('agreementStart')} rules={req(t('agreementStart'))}>
            <Input type="date" />
          </Form.Item>
          <Form.Item name="agreementEnd" label={t('agreementEnd')} rules={req(t('agreementEnd'))}>
            <Input type="date" />
          </Form.Item>
        </Space>
      </Form>
      {error ? <ErrorAlert error={error} /> : null}
    </Modal>
  );
}

export function PartnersPage() {
  const { t, lang } = useI18n();
  const { user } = useSession();
  const { message } = App.useApp();
  const { data, error, loading, reload } = useGet<{ items: Partner[] }>('/partners');
  const [editing, setEditing] = useState<Partner | 'new' | null>(null);
  const canEdit = user?.role === 'admin' || user?.role === 'county_officer';
  const toggle = async (p: Partner) => {
    try {
      await api(`/partners/${p.id}`, { method: 'PUT', body: { status: p.status === 'active' ? 'suspended' : 'active' } });
      message.success(t('saved'));
      void reload();
    } catch (e) {
      message.error(errorMessage(e, lang, t('networkError')));
    }
  };
  return (
    <>
      <PageHeader
        title={t('partnersTitle')}
        intro={t('partnersIntro')}
        extra={
          canEdit ? (
            <Button type="primary" onClick={() => setEditing('new')}>
              {t('createPartner')}
            </Button>
          ) : null
        }
      />
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <Table<Partner>
        rowKey="id"
        loading={loading && !data}
        dataSource={data?.items ?? []}
        pagination={false}
        scroll={{ x: 1000 }}
        locale={{ emptyText: <EmptyState text={t('empty')} /> }}
        columns={[
          { title: t('name'), dataIndex: 'name' },
          { title: t('kind'), dataIndex: 'kind', render: (v) => partnerKindLabel(lang, v) },
          { title: t('orgUnit'), dataIndex: 'orgUnitName' },
          { title: t('services'), dataIndex: 'services', render: (v: string[]) => v.map((c) => serviceLabel(lang, c)).join(lang === 'en' ? ', ' : '、') },
          { title: t('capacity'), dataIndex: 'capacity', render: (v) => (v === null ? t('unlimited') : v) },
          { title: t('used'), dataIndex: 'used' },
          { title: t('available'), dataIndex: 'available', render: (v) => (v === null ? '—' : v) },
          { title: t('agreement'), key: 'ag', render: (_, p) => `${formatDate(p.agreementStart, lang)} – ${formatDate(p.agreementEnd, lang)}` },
          {
            title: t('status'),
            key: 'st',
            render: (_, p) => (
              <>
                {p.status === 'active' ? <Tone tone="green">{t('active')}</Tone> : <Tone tone="red">{t('suspended')}</Tone>}
                {!p.inForce ? <Tone tone="orange">{t('agreement')} ✕</Tone> : null}
                {p.acceptsReferrals ? <Tone tone="blue">{t('acceptsReferrals')}</Tone> : null}
              </>
            ),
          },
          ...(canEdit
            ? [
                {
                  title: t('actions'),
                  key: 'a',
                  render: (_: unknown, p: Partner) =>
                    p.editable ? (
                      <Space size="small" wrap>
                        <Button size="small" onClick={() => setEditing(p)} aria-label={`${t('edit')} ${p.name}`}>
                          {t('edit')}
                        </Button>
                        <Button size="small" danger={p.status === 'active'} onClick={() => void toggle(p)} aria-label={`${p.status === 'active' ? t('suspend') : t('reactivate')} ${p.name}`}>
                          {p.status === 'active' ? t('suspend') : t('reactivate')}
                        </Button>
                      </Space>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <PartnerModal
        editing={editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          message.success(t('saved'));
          setEditing(null);
          void reload();
        }}
      />
    </>
  );
}
