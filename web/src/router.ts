/** Routes and the guard that keeps signed-out users on the login page and roles on their pages. */
import { createRouter, type RouteLocationRaw, type Router, type RouterHistory } from 'vue-router';
import type { Permission } from './domain/permissions';
import type { useAuthStore } from './stores/auth';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session (the login page). */
    public?: boolean;
    permission?: Permission;
  }
}

export function createAppRouter(history: RouterHistory): Router {
  return createRouter({
    history,
    routes: [
      {
        path: '/login',
        name: 'login',
        component: () => import('./pages/LoginPage.vue'),
        meta: { public: true },
      },
      {
        path: '/',
        component: () => import('./components/AppLayout.vue'),
        children: [
          {
            path: '',
            name: 'dashboard',
            component: () => import('./pages/DashboardPage.vue'),
            meta: { permission: 'monitoring.view' },
          },
          {
            path: 'map',
            name: 'map',
            component: () => import('./pages/MapPage.vue'),
            meta: { permission: 'monitoring.view' },
          },
          {
            path: 'stations',
            name: 'stations',
            component: () => import('./pages/StationsPage.vue'),
            meta: { permission: 'monitoring.view' },
          },
          {
            path: 'stations/:id',
            name: 'station',
            component: () => import('./pages/StationDetailPage.vue'),
            meta: { permission: 'monitoring.view' },
          },
          {
            path: 'stations/:id/events',
            name: 'station-events',
            component: () => import('./pages/StationEventsPage.vue'),
            meta: { permission: 'monitoring.view' },
          },
          {
            path: 'events',
            name: 'events',
            component: () => import('./pages/StationEventsPage.vue'),
            meta: { permission: 'monitoring.view' },
          },
          {
            path: 'incidents',
            name: 'incidents',
            component: () => import('./pages/IncidentsPage.vue'),
            meta: { permission: 'alerts.view' },
          },
          {
            path: 'alerts/rules',
            name: 'alert-rules',
            component: () => import('./pages/AlertRulesPage.vue'),
            meta: { permission: 'alerts.rules' },
          },
          {
            path: 'alerts/oncall',
            name: 'oncall',
            component: () => import('./pages/OnCallPage.vue'),
            meta: { permission: 'alerts.rules' },
          },
          {
            path: 'alerts/notifications',
            name: 'notifications',
            component: () => import('./pages/NotificationsPage.vue'),
            meta: { permission: 'notifications.view' },
          },
          {
            path: 'sessions',
            name: 'sessions',
            component: () => import('./pages/SessionsPage.vue'),
            meta: { permission: 'sessions.view' },
          },
          {
            path: 'sessions/:id',
            name: 'session',
            component: () => import('./pages/SessionDetailPage.vue'),
            meta: { permission: 'sessions.view' },
          },
          {
            path: 'tariffs',
            name: 'tariffs',
            component: () => import('./pages/TariffsPage.vue'),
            meta: { permission: 'tariffs.view' },
          },
          {
            path: 'audit',
            name: 'audit',
            component: () => import('./pages/AuditPage.vue'),
            meta: { permission: 'audit.view' },
          },
          {
            path: 'sites',
            name: 'sites',
            component: () => import('./pages/SitesPage.vue'),
            meta: { permission: 'monitoring.view' },
          },
          {
            path: 'tokens',
            name: 'tokens',
            component: () => import('./pages/TokensPage.vue'),
            meta: { permission: 'tokens.view' },
          },
          {
            path: 'ledger',
            name: 'ledger',
            component: () => import('./pages/LedgerPage.vue'),
            meta: { permission: 'ledger.view' },
          },
          {
            path: 'reports',
            name: 'reports',
            component: () => import('./pages/ReportsPage.vue'),
            meta: { permission: 'reports.view' },
          },
          {
            path: 'users',
            name: 'users',
            component: () => import('./pages/UsersPage.vue'),
            meta: { permission: 'users.manage' },
          },
          {
            path: 'settings',
            name: 'settings',
            component: () => import('./pages/SettingsPage.vue'),
            meta: { permission: 'settings.view' },
          },
          { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue') },
        ],
      },
    ],
  });
}

/** Only same-app paths are followed after login; anything else could be an open redirect. */
export function safeRedirect(value: unknown): string | undefined {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : undefined;
}

export function installAuthGuard(router: Router, auth: ReturnType<typeof useAuthStore>): void {
  router.beforeEach(async (to): Promise<true | RouteLocationRaw> => {
    await auth.restore();
    if (to.meta.public) {
      if (to.name === 'login' && auth.isAuthenticated)
        return safeRedirect(to.query['redirect']) ?? { name: 'dashboard' };
      return true;
    }
    if (!auth.isAuthenticated) {
      return to.fullPath === '/' ? { name: 'login' } : { name: 'login', query: { redirect: to.fullPath } };
    }
    const permission = to.meta.permission;
    if (permission && !auth.allows(permission)) {
      return { name: 'not-found', params: { pathMatch: to.path.split('/').filter(Boolean) } };
    }
    return true;
  });
}
