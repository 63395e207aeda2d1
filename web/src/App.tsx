import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { AppShell } from './components/AppShell';
import { Loading } from './components/common';
import { I18nProvider, useI18n } from './i18n';
import { canUse, homeFor } from './nav';
import { NotificationsProvider } from './notifications';
import { CaseDetailPage } from './pages/CaseDetail';
import { CasesPage } from './pages/Cases';
import { FollowUpsPage } from './pages/FollowUps';
import { InboxPage } from './pages/Inbox';
import { MonitoringPage } from './pages/Monitoring';
import { NewCasePage } from './pages/NewCase';
import { ForbiddenPage, NotFoundPage } from './pages/NotFound';
import { NotificationsPage } from './pages/Notifications';
import { SignInPage } from './pages/SignIn';
import { TaskPage } from './pages/TaskPage';
import { SessionProvider, useSession } from './session';
import { theme } from './theme';

// ECharts and the admin screens are loaded on demand (separate chunks, still external scripts).
const DashboardPage = lazy(() => import('./pages/Dashboard').then((m) => ({ default: m.DashboardPage })));
const OrgUnitsPage = lazy(() => import('./pages/admin/OrgUnits').then((m) => ({ default: m.OrgUnitsPage })));
const UsersPage = lazy(() => import('./pages/admin/Users').then((m) => ({ default: m.UsersPage })));
const PartnersPage = lazy(() => import('./pages/admin/Partners').then((m) => ({ default: m.PartnersPage })));
const CalendarPage = lazy(() => import('./pages/admin/Calendar').then((m) => ({ default: m.CalendarPage })));
const YearlyReportPage = lazy(() => import('./pages/YearlyReport').then((m) => ({ default: m.YearlyReportPage })));
const WorkloadPage = lazy(() => import('./pages/Workload').then((m) => ({ default: m.WorkloadPage })));
const ProgrammesPage = lazy(() => import('./pages/admin/Programmes').then((m) => ({ default: m.ProgrammesPage })));

function Guard({ children }: { children: ReactNode }) {
  const { user } = useSession();
  const location = useLocation();
  if (!user) return <Navigate to="/app/signin" replace state={{ from: location.pathname + location.search }} />;
  if (!canUse(location.pathname, user.role)) return <ForbiddenPage />;
  return <>{children}</>;
}

function Home() {
  const { user } = useSession();
  return <Navigate to={user ? homeFor(user.role) : '/app/signin'} replace />;
}

function Localised() {
  const { lang } = useI18n();
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={theme} button={{ autoInsertSpace: false }}>
      <AntApp>
        <BrowserRouter>
          <SessionProvider>
            <NotificationsProvider>
              <Routes>
                <Route path="/app/signin" element={<SignInPage />} />
                <Route
                  path="/app/*"
                  element={
                    <Guard>
                      <AppShell>
                        <Suspense fallback={<Loading />}>
                          <Routes>
                            <Route index element={<Home />} />
                            <Route path="inbox" element={<InboxPage />} />
                            <Route path="cases" element={<CasesPage />} />
                            <Route path="cases/:caseId" element={<CaseDetailPage />} />
                            <Route path="cases/:caseId/tasks/:taskId" element={<TaskPage />} />
                            <Route path="new-case" element={<NewCasePage />} />
                            <Route path="followups" element={<FollowUpsPage />} />
                            <Route path="dashboard" element={<DashboardPage />} />
                            <Route path="monitoring" element={<MonitoringPage />} />
                            <Route path="workload" element={<WorkloadPage />} />
                            <Route path="reports" element={<YearlyReportPage />} />
                            <Route path="notifications" element={<NotificationsPage />} />
                            <Route path="admin/org-units" element={<OrgUnitsPage />} />
                            <Route path="admin/users" element={<UsersPage />} />
                            <Route path="admin/partners" element={<PartnersPage />} />
                            <Route path="admin/calendar" element={<CalendarPage />} />
                            <Route path="admin/programmes" element={<ProgrammesPage />} />
                            <Route path="*" element={<NotFoundPage />} />
                          </Routes>
                        </Suspense>
                      </AppShell>
                    </Guard>
                  }
                />
                <Route path="/" element={<Home />} />
                <Route path="*" element={<NotFoundPage standalone />} />
              </Routes>
            </NotificationsProvider>
          </SessionProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <Localised />
    </I18nProvider>
  );
}
