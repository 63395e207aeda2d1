import { Card, Descriptions, Tree } from 'antd';
import { useMemo, useState } from 'react';
import { EmptyState, ErrorAlert, Loading, PageHeader } from '../../components/common';
import { useGet } from '../../hooks';
import { useI18n } from '../../i18n';
import { levelLabel } from '../../labels';
import { useOrgTree } from '../../orgs';
import type { OrgNode } from '../../types';

interface Detail extends Omit<OrgNode, 'children'> {
  inScope: boolean;
  ancestors: { code: string; name: string }[];
  childCount: number;
}

export function OrgUnitsPage() {
  const { t, lang } = useI18n();
  const { tree, error } = useOrgTree();
  const [selected, setSelected] = useState<string | null>(null);
  const detail = useGet<Detail>(selected ? `/org-units/${selected}` : null);
  const treeData = useMemo(() => {
    const conv = (n: OrgNode): any => ({ key: n.code, title: `${n.name}（${levelLabel(lang, n.level)} · ${n.code}）`, children: n.children.map(conv) });
    return tree ? [conv(tree)] : [];
  }, [tree, lang]);

  return (
    <>
      <PageHeader title={t('orgUnitsTitle')} intro={t('orgUnitsIntro')} />
      {error ? <ErrorAlert error={error} /> : null}
      {!tree && !error ? <Loading /> : null}
      {tree ? (
        <div className="card-grid">
          <Card size="small" title={<h2 className="card-h">{t('orgUnitsTitle')}</h2>}>
            <Tree
              aria-label={t('orgUnitsTitle')}
              treeData={treeData}
              defaultExpandedKeys={[tree.code, ...tree.children.map((c) => c.code)]}
              onSelect={(keys) => setSelected((keys[0] as string) ?? null)}
              selectedKeys={selected ? [selected] : []}
            />
          </Card>
          <Card size="small" title={<h2 className="card-h">{t('details')}</h2>} aria-live="polite">
            {!selected ? <EmptyState text={t('orgUnitsIntro')} /> : null}
            {selected && detail.loading ? <Loading /> : null}
            {detail.error ? <ErrorAlert error={detail.error} /> : null}
            {selected && detail.data ? (
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t('unitName')}>{detail.data.name}</Descriptions.Item>
                <Descriptions.Item label={t('code')}>{detail.data.code}</Descriptions.Item>
                <Descriptions.Item label={t('level')}>{levelLabel(lang, detail.data.level)}</Descriptions.Item>
                <Descriptions.Item label={t('ancestors')}>{detail.data.ancestors.map((a) => a.name).join(' / ') || '—'}</Descriptions.Item>
                <Descriptions.Item label={t('children')}>{detail.data.childCount}</Descriptions.Item>
                <Descriptions.Item label={t('path')}>
                  <code>{detail.data.path}</code>
                </Descriptions.Item>
              </Descriptions>
            ) : null}
          </Card>
        </div>
      ) : null}
    </>
  );
}
