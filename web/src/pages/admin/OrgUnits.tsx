/**
 * The org tree in my scope and one unit's details. The admin adds a unit one level below a unit in
 * scope (POST /org-units: the code extends the parent's, the server says why it refuses one) and
 * renames, deactivates or reactivates a unit (PUT /org-units/:code; deactivating is refused, with
 * the reason, while anything below it is in use).
 */
import { App, Button, Card, Descriptions, Form, Input, Modal, Space, Tree } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api } from '../../api';
import { EmptyState, ErrorAlert, Loading, PageHeader, Tone } from '../../components/common';
import { useGet } from '../../hooks';
import { useI18n } from '../../i18n';
import { levelLabel } from '../../labels';
import { useOrgTree } from '../../orgs';
import { useSession } from '../../session';
import type { OrgNode } from '../../types';

interface Detail extends Omit<OrgNode, 'children'> {
  inScope: boolean;
  ancestors: { code: string; name: string }[];
  childCount: number;
}

const CHILD_LEVEL: Record<OrgNode['level'], OrgNode['level'] | null> = { city: 'county', county: 'township', township: 'village', village: null };

/** The code a child of `parent` must have: its prefix and length (as the server checks it). */
export function childCodeRule(parent: { code: string; level: OrgNode['level'] }): { prefix: string; length: number } | null {
  const level = CHILD_LEVEL[parent.level];
  if (!level) return null;
  return level === 'county' ? { prefix: parent.code.slice(0, 4), length: 6 } : { prefix: parent.code, length: level === 'township' ? 9 : 12 };
}

type Editing = { mode: 'create'; parent: Detail } | { mode: 'edit'; unit: Detail } | null;

function OrgUnitModal({ editing, onClose, onSaved }: { editing: Editing; onClose(): void; onSaved(code: string): void }) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setError(null);
    form.resetFields();
    if (editing?.mode === 'edit') form.setFieldsValue({ name: editing.unit.name, nameEn: editing.unit.nameEn ?? '' });
  }, [editing, form]);
  if (!editing) return null;
  const rule = editing.mode === 'create' ? childCodeRule(editing.parent) : null;
  const save = async () => {
    let v: { code?: string; name: string; nameEn?: string };
    try {
      v = await form.validateFields();
    } catch {
      return; // the form shows what is missing or wrong beside each field
    }
    setBusy(true);
    setError(null);
    const nameEn = v.nameEn?.trim() ? v.nameEn.trim() : null;
    try {
      if (editing.mode === 'create') {
        const code = (v.code ?? '').trim();
        await api('/org-units', { method: 'POST', body: { code, parentCode: editing.parent.code, name: v.name.trim(), nameEn } });
        onSaved(code);
      } else {
        await api(`/org-units/${editing.unit.code}`, { method: 'PUT', body: { name: v.name.trim(), nameEn } });
        onSaved(editing.unit.code);
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const title =
    editing.mode === 'create'
      ? t('orgCreateTitle', { parent: editing.parent.name, level: levelLabel(lang, CHILD_LEVEL[editing.parent.level] ?? 'village') })
      : t('orgEditTitle', { name: editing.unit.name });
  return (
    <Modal open title={title} onCancel={onClose} onOk={() => void save()} okText={t('save')} cancelText={t('cancel')} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" name="org-unit-form" onValuesChange={() => setError(null)}>
        {editing.mode === 'create' && rule ? (
          <Form.Item
            name="code"
            label={t('code')}
            extra={t('orgCodeHint', { prefix: rule.prefix, length: rule.length })}
            rules={[
              { required: true, message: `${t('required')}：${t('code')}` },
              {
                validator: async (_, v: string | undefined) => {
                  const c = (v ?? '').trim();
                  if (c && (!/^\d+$/.test(c) || c.length !== rule.length || !c.startsWith(rule.prefix) || c === editing.parent.code)) {
                    throw new Error(t('orgCodeHint', { prefix: rule.prefix, length: rule.length }));
                  }
                },
              },
            ]}
          >
            <Input inputMode="numeric" maxLength={12} autoComplete="off" />
          </Form.Item>
        ) : (
          <p>
            {t('code')}：<code>{editing.mode === 'edit' ? editing.unit.code : ''}</code>
          </p>
        )}
        <Form.Item name="name" label={t('unitName')} rules={[{ required: true, whitespace: true, message: `${t('required')}：${t('unitName')}` }]}>
          <Input maxLength={100} autoComplete="off" />
        </Form.Item>
        <Form.Item name="nameEn" label={`${t('unitNameEn')}（${t('optional')}）`}>
          <Input maxLength={100} autoComplete="off" />
        </Form.Item>
      </Form>
      {error ? <ErrorAlert error={error} /> : null}
    </Modal>
  );
}

export function OrgUnitsPage() {
  const { t, lang } = useI18n();
  const { user } = useSession();
  const { message } = App.useApp();
  const { tree, error, reload } = useOrgTree();
  const [selected, setSelected] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [toggling, setToggling] = useState(false);
  const [toggleError, setToggleError] = useState<unknown>(null);
  useEffect(() => setToggleError(null), [selected]);
  const toggleActive = async (unit: Detail) => {
    setToggling(true);
    setToggleError(null);
    try {
      await api(`/org-units/${unit.code}`, { method: 'PUT', body: { active: !unit.active } });
      message.success(unit.active ? t('orgDeactivated', { name: unit.name }) : t('orgReactivated', { name: unit.name }));
      reload();
      void detail.reload();
    } catch (e) {
      setToggleError(e);
    } finally {
      setToggling(false);
    }
  };
  const detail = useGet<Detail>(selected ? `/org-units/${selected}` : null);
  const isAdmin = user?.role === 'admin';
  const treeData = useMemo(() => {
    const conv = (n: OrgNode): any => ({
      key: n.code,
      title: `${lang === 'en' && n.nameEn ? n.nameEn : n.name}（${levelLabel(lang, n.level)} · ${n.code}）${n.active === false ? ` · ${t('orgInactive')}` : ''}`,
      className: n.active === false ? 'org-inactive' : undefined,
      children: n.children.map(conv),
    });
    return tree ? [conv(tree)] : [];
  }, [tree, lang, t]);
  const d = selected && detail.data?.code === selected ? detail.data : null;
  const [expanded, setExpanded] = useState<string[] | null>(null);
  useEffect(() => {
    if (tree && expanded === null) setExpanded([tree.code, ...tree.children.map((c) => c.code)]);
  }, [tree, expanded]);

  return (
    <>
      <PageHeader title={t('orgUnitsTitle')} intro={isAdmin ? t('orgUnitsIntroAdmin') : t('orgUnitsIntro')} />
      {error ? <ErrorAlert error={error} /> : null}
      {!tree && !error ? <Loading /> : null}
      {tree ? (
        <div className="card-grid">
          <Card size="small" title={<h2 className="card-h">{t('orgUnitsTitle')}</h2>}>
            <Tree
              aria-label={t('orgUnitsTitle')}
              treeData={treeData}
              expandedKeys={expanded ?? []}
              onExpand={(keys) => setExpanded(keys as string[])}
              onSelect={(keys) => setSelected((keys[0] as string) ?? null)}
              selectedKeys={selected ? [selected] : []}
            />
          </Card>
          <Card size="small" title={<h2 className="card-h">{t('details')}</h2>} aria-live="polite">
            {!selected ? <EmptyState text={t('orgUnitsIntro')} /> : null}
            {selected && detail.loading ? <Loading /> : null}
            {detail.error ? <ErrorAlert error={detail.error} /> : null}
            {d ? (
              <>
                <Descriptions column={1} size="small">
                  <Descriptions.Item label={t('unitName')}>{d.name}</Descriptions.Item>
                  <Descriptions.Item label={t('unitNameEn')}>{d.nameEn ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('code')}>{d.code}</Descriptions.Item>
                  <Descriptions.Item label={t('level')}>{levelLabel(lang, d.level)}</Descriptions.Item>
                  <Descriptions.Item label={t('status')}>{d.active ? <Tone tone="green">{t('active')}</Tone> : <Tone tone="red">{t('orgInactive')}</Tone>}</Descriptions.Item>
                  <Descriptions.Item label={t('ancestors')}>{d.ancestors.map((a) => a.name).join(' / ') || '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('children')}>{d.childCount}</Descriptions.Item>
                  <Descriptions.Item label={t('path')}>
                    <code>{d.path}</code>
                  </Descriptions.Item>
                </Descriptions>
                {isAdmin && d.inScope ? (
                  <Space wrap style={{ marginTop: 8 }}>
                    {CHILD_LEVEL[d.level] && d.active ? (
                      <Button type="primary" onClick={() => setEditing({ mode: 'create', parent: d })}>
                        {t('orgCreateChild', { level: levelLabel(lang, CHILD_LEVEL[d.level]!) })}
                      </Button>
                    ) : null}
                    <Button onClick={() => setEditing({ mode: 'edit', unit: d })}>{t('orgRename')}</Button>
                    <Button danger={d.active} loading={toggling} onClick={() => void toggleActive(d)}>
                      {d.active ? t('orgDeactivate') : t('orgReactivate')}
                    </Button>
                  </Space>
                ) : null}
                {toggleError ? <ErrorAlert error={toggleError} style={{ marginTop: 8 }} /> : null}
              </>
            ) : null}
          </Card>
        </div>
      ) : null}
      <OrgUnitModal
        editing={editing}
        onClose={() => setEditing(null)}
        onSaved={(code) => {
          message.success(editing?.mode === 'create' ? t('orgCreated', { code }) : t('saved'));
          if (editing?.mode === 'create') setExpanded((e) => [...new Set([...(e ?? []), editing.parent.code])]);
          setEditing(null);
          reload();
          if (selected === code) void detail.reload();
          else setSelected(code);
        }}
      />
    </>
  );
}
