import { App, Button, Form, Input, Modal, Select, Space, Switch, Table } from 'antd';
import { useEffect, useState } from 'react';
import { api, qs } from '../../api';
import { EmptyState, ErrorAlert, errorMessage, PageHeader, Tone } from '../../components/common';
import { useGet } from '../../hooks';
import { useI18n } from '../../i18n';
import { ROLES, roleLabel } from '../../labels';
import { orgOption, useOrgTree } from '../../orgs';
import { useSession } from '../../session';
import type { Partner, Staff } from '../../types';

type Editing = { mode: 'create' } | { mode: 'edit'; user: Staff } | { mode: 'password'; user: Staff } | null;

function UserModal({ editing, onClose, onSaved }: { editing: Editing; onClose(): void; onSaved(): void }) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm();
  const { flat } = useOrgTree();
  const [partners, setPartners] = useState<Partner[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const role = Form.useWatch('role', form);
  useEffect(() => {
    api<{ items: Partner[] }>('/partners')
      .then((r) => setPartners(r.items))
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    setError(null);
    form.resetFields();
    if (editing?.mode === 'edit') {
      const u = editing.user;
      form.setFieldsValue({ displayName: u.displayName, role: u.role, orgUnitCode: u.orgUnitCode, partnerId: u.partnerId ?? undefined, active: u.active, locale: u.locale });
    } else if (editing?.mode === 'create') form.setFieldsValue({ locale: 'zh-CN' });
  }, [editing, form]);
  if (!editing) return null;
  const title = editing.mode === 'create' ? t('createUser') : editing.mode === 'edit' ? `${t('editUser')}：${editing.user.username}` : `${t('resetPassword')}：${editing.user.username}`;
  const save = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is missing or wrong beside each field
    setBusy(true);
    setError(null);
    try {
      if (editing.mode === 'create') {
        await api('/admin/users', { method: 'POST', body: { ...v, partnerId: v.role === 'partner_staff' ? v.partnerId : undefined, phone: v.phone || undefined, email: v.email || undefined } });
      } else if (editing.mode === 'edit') {
        const body: Record<string, unknown> = { displayName: v.displayName, active: v.active, locale: v.locale };
        if (v.role !== editing.user.role) body.role = v.role;
        if (v.orgUnitCode !== editing.user.orgUnitCode) body.orgUnitCode = v.orgUnitCode;
        if (v.role === 'partner_staff' && v.partnerId) body.partnerId = v.partnerId;
        await api(`/admin/users/${editing.user.id}`, { method: 'PUT', body });
      } else {
        await api(`/admin/users/${editing.user.id}/password`, { method: 'POST', body: { password: v.password } });
      }
      onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const req = (label: string) => [{ required: true, message: `${t('required')}：${label}` }];
  return (
    <Modal open title={title} onCancel={onClose} onOk={() => void save()} okText={t('save')} cancelText={t('cancel')} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" name="user-form">
        {editing.mode === 'password' ? (
          <Form.Item name="password" label={t('newPassword')} rules={req(t('newPassword'))}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        ) : (
          <>
            {editing.mode === 'create' ? (
              <>
                <Form.Item name="username" label={t('username')} rules={[...req(t('username')), { pattern: /^[a-z0-9][a-z0-9._-]{2,63}$/, message: 'a-z 0-9 . _ -' }]}>
                  <Input autoComplete="off" />
                </Form.Item>
                <Form.Item name="password" label={t('password')} rules={req(t('password'))}>
                  <Input.Password autoComplete="new-password" />
                </Form.Item>
              </>
            ) : null}
            <Form.Item name="displayName" label={t('displayName')} rules={req(t('displayName'))}>
              <Input maxLength={64} />
            </Form.Item>
            <Form.Item name="role" label={t('role')} rules={req(t('role'))}>
              <Select options={ROLES.map((r) => ({ value: r, label: roleLabel(lang, r) }))} />
            </Form.Item>
            <Form.Item name="orgUnitCode" label={t('orgUnit')} rules={req(t('orgUnit'))}>
              <Select showSearch={{ optionFilterProp: 'label' }} options={flat.map(orgOption)} />
            </Form.Item>
            {role === 'partner_staff' ? (
              <Form.Item name="partnerId" label={t('partner')} rules={req(t('partner'))}>
                <Select options={partners.map((p) => ({ value: p.id, label: p.name }))} />
              </Form.Item>
            ) : null}
            {editing.mode === 'create' ? (
              <Space wrap>
                <Form.Item name="phone" label={`${t('phone')}（${t('optional')}）`}>
                  <Input inputMode="tel" />
                </Form.Item>
                <Form.Item name="email" label="Email">
                  <Input type="email" />
                </Form.Item>
              </Space>
            ) : (
              <Form.Item name="active" label={t('active')} valuePropName="checked">
                <Switch />
              </Form.Item>
            )}
            <Form.Item name="locale" label={t('language')}>
              <Select
                options={[
                  { value: 'zh-CN', label: '中文' },
                  { value: 'en', label: 'English' },
                ]}
              />
            </Form.Item>
          </>
        )}
      </Form>
      {error ? <ErrorAlert error={error} /> : null}
    </Modal>
  );
}

export function UsersPage() {
  const { t, lang } = useI18n();
  const { user } = useSession();
  const { message } = App.useApp();
  const [role, setRole] = useState<string | undefined>();
  const { data, error, loading, reload } = useGet<{ items: Staff[] }>(`/admin/users${qs({ role })}`);
  const [editing, setEditing] = useState<Editing>(null);
  const isAdmin = user?.role === 'admin';
  const unlock = async (u: Staff) => {
    try {
      await api(`/admin/users/${u.id}/unlock`, { method: 'POST', body: {} });
      message.success(t('unlocked'));
      void reload();
    } catch (e) {
      message.error(errorMessage(e, lang, t('networkError')));
    }
  };
  return (
    <>
      <PageHeader
        title={t('usersTitle')}
        intro={t('usersIntro')}
        extra={
          isAdmin ? (
            <Button type="primary" onClick={() => setEditing({ mode: 'create' })}>
              {t('createUser')}
            </Button>
          ) : null
        }
      />
      <div className="filters">
        <div className="filter-field">
          <label htmlFor="u-role">{t('role')}</label>
          <Select id="u-role" allowClear placeholder={t('all')} style={{ width: 200 }} value={role} onChange={setRole} options={ROLES.map((r) => ({ value: r, label: roleLabel(lang, r) }))} />
        </div>
      </div>
      {error ? <ErrorAlert error={error} onRetry={reload} /> : null}
      <Table<Staff>
        rowKey="id"
        loading={loading && !data}
        dataSource={data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 900 }}
        locale={{ emptyText: <EmptyState text={t('empty')} /> }}
        columns={[
          { title: t('username'), dataIndex: 'username' },
          { title: t('displayName'), dataIndex: 'displayName' },
          { title: t('role'), dataIndex: 'role', render: (v) => roleLabel(lang, v) },
          { title: t('orgUnit'), dataIndex: 'orgName' },
          {
            title: t('status'),
            key: 'status',
            render: (_, u) => (
              <>
                {u.active ? <Tone tone="green">{t('active')}</Tone> : <Tone tone="grey">{t('inactive')}</Tone>}
                {u.locked ? <Tone tone="red">{t('locked')}</Tone> : null}
                {u.mfaEnrolled ? <Tone tone="blue">TOTP</Tone> : null}
              </>
            ),
          },
          ...(isAdmin
            ? [
                {
                  title: t('actions'),
                  key: 'actions',
                  render: (_: unknown, u: Staff) => (
                    <Space wrap size="small">
                      <Button size="small" onClick={() => setEditing({ mode: 'edit', user: u })} aria-label={`${t('edit')} ${u.username}`}>
                        {t('edit')}
                      </Button>
                      {u.locked ? (
                        <Button size="small" onClick={() => void unlock(u)} aria-label={`${t('unlock')} ${u.username}`}>
                          {t('unlock')}
                        </Button>
                      ) : null}
                      <Button size="small" onClick={() => setEditing({ mode: 'password', user: u })} aria-label={`${t('resetPassword')} ${u.username}`}>
                        {t('resetPassword')}
                      </Button>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <UserModal
        editing={editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          message.success(editing?.mode === 'password' ? t('passwordReset') : t('saved'));
          setEditing(null);
          void reload();
        }}
      />
    </>
  );
}
