/** The signed-in frame: skip link, header (language, notifications, user), navigation, main. */
import { BellOutlined, MenuOutlined } from '@ant-design/icons';
import { Badge, Button, Drawer, Grid, Layout, Menu, Select, Space, Tooltip } from 'antd';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { api } from '../api';
import { useI18n, type Lang } from '../i18n';
import { roleLabel } from '../labels';
import { allowed, NAV } from '../nav';
import { useNotifications } from '../notifications';
import { useSession } from '../session';

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <Select<Lang>
      aria-label={t('language')}
      value={lang}
      onChange={setLang}
      size="middle"
      style={{ width: 108 }}
      options={[
        { value: 'zh-CN', label: t('langZh') },
        { value: 'en', label: t('langEn') },
      ]}
    />
  );
}

/**
 * The account's language (PUT /auth/me/locale) follows the app's, so e-mail, SMS and in-app messages
 * come in the language the person reads the app in. A browser where nobody picked a language yet
 * takes the account's (an admin may have set English for someone).
 */
function useAccountLanguage(user: { id: string; locale: string } | null) {
  const { lang, setLang, chosen } = useI18n();
  const pushed = useRef<string | null>(null);
  useEffect(() => {
    if (!user) return;
    if (!chosen) {
      if (user.locale === 'en' || user.locale === 'zh-CN') setLang(user.locale);
      return;
    }
    if (lang === (pushed.current ?? user.locale)) return;
    pushed.current = lang;
    api('/auth/me/locale', { method: 'PUT', body: { locale: lang } }).catch(() => {
      pushed.current = null; // try again at the next change; the app itself works on
    });
  }, [user?.id, user?.locale, lang, chosen]); // eslint-disable-line react-hooks/exhaustive-deps
}

export function AppShell({ children }: { children: ReactNode }) {
  const { t, lang } = useI18n();
  const { user, signOut } = useSession();
  useAccountLanguage(user);
  const { unread, live } = useNotifications();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const wide = screens.lg ?? window.innerWidth >= 992;
  const [drawer, setDrawer] = useState(false);
  const scrollLabel = t('tableScroll');

  // A table wider than the screen scrolls sideways: make that region keyboard-focusable and named
  // (WCAG 2.1.1; axe scrollable-region-focusable), and undo it when it fits again.
  useEffect(() => {
    let queued = false;
    const fix = () => {
      queued = false;
      document.querySelectorAll<HTMLElement>('.ant-table-content, .ant-table-body').forEach((el) => {
        const scrolls = el.scrollWidth > el.clientWidth + 1;
        if (scrolls && el.getAttribute('tabindex') !== '0') {
          el.setAttribute('tabindex', '0');
          el.setAttribute('role', 'region');
          el.setAttribute('aria-label', scrollLabel);
        } else if (!scrolls && el.getAttribute('tabindex') === '0') {
          el.removeAttribute('tabindex');
          el.removeAttribute('role');
          el.removeAttribute('aria-label');
        }
      });
    };
    const queue = () => {
      if (!queued) {
        queued = true;
        requestAnimationFrame(fix);
      }
    };
    const mo = new MutationObserver(queue);
    mo.observe(document.body, { subtree: true, childList: true });
    window.addEventListener('resize', queue);
    queue();
    return () => {
      mo.disconnect();
      window.removeEventListener('resize', queue);
    };
  }, [scrollLabel]);

  const items = useMemo(() => {
    if (!user) return [];
    const mine = NAV.filter((n) => allowed(n, user.role));
    const top = mine.filter((n) => !n.group).map((n) => ({ key: n.path, label: t(n.label) }));
    const admin = mine.filter((n) => n.group === 'admin').map((n) => ({ key: n.path, label: t(n.label) }));
    return admin.length ? [...top, { type: 'group' as const, key: 'admin', label: t('navAdmin'), children: admin }] : top;
  }, [user, t]);
  const selected = NAV.filter((n) => location.pathname === n.path || location.pathname.startsWith(n.path + '/'))
    .map((n) => n.path)
    .slice(-1);

  const menu = (
    <nav aria-label={t('mainNav')}>
      <Menu
        mode="inline"
        selectedKeys={selected}
        items={items}
        onClick={({ key }) => {
          setDrawer(false);
          navigate(key);
        }}
      />
    </nav>
  );

  if (!user) return <>{children}</>;
  return (
    <Layout className="shell">
      <a className="skip-link" href="#main">
        {t('skipToMain')}
      </a>
      <Layout.Header className="shell-header">
        <Space size="middle" className="shell-brand">
          {!wide ? (
            <Button icon={<MenuOutlined aria-hidden />} aria-label={t('menu')} aria-expanded={drawer} onClick={() => setDrawer(true)} />
          ) : null}
          <span className="brand-text">{wide ? t('appName') : t('appShort')}</span>
        </Space>
        <Space size="small" wrap={false} className="shell-tools">
          <LanguageSwitch />
          <Tooltip title={live ? t('liveUpdates') : t('pollingUpdates')}>
            <Badge count={unread} overflowCount={99} offset={[-4, 4]}>
              <Button
                aria-label={t('notificationsUnread', { n: unread })}
                icon={<BellOutlined aria-hidden />}
                onClick={() => navigate('/app/notifications')}
              />
            </Badge>
          </Tooltip>
          {wide ? (
            <span className="user-name" title={t('signedInAs', { name: user.name, role: roleLabel(lang, user.role), org: user.orgName ?? user.orgUnitCode })}>
              {user.name} · {roleLabel(lang, user.role)}
            </span>
          ) : null}
          <Button onClick={() => void signOut()}>{t('signOut')}</Button>
        </Space>
      </Layout.Header>
      <Layout>
        {wide ? (
          <Layout.Sider width={220} theme="light" className="shell-sider">
            {menu}
          </Layout.Sider>
        ) : (
          <Drawer open={drawer} onClose={() => setDrawer(false)} placement="left" title={t('menu')} size={260}>
            {menu}
          </Drawer>
        )}
        <Layout.Content>
          <main id="main" tabIndex={-1} className="shell-main">
            {children}
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
