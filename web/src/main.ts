/** Composition root: builds the API client, i18n, stores and router once and wires them together. */
import { createPinia } from 'pinia';
import { createApp, watch } from 'vue';
import { createWebHistory } from 'vue-router';
import App from './App.vue';
import { createApiClient } from './api/client';
import { apiClientKey } from './api/inject';
import { createAppI18n } from './i18n';
import { LOCALE_TAGS } from './i18n/locales';
import { createAppRouter, installAuthGuard } from './router';
import { useActivityStore } from './stores/activity';
import { useAuthStore } from './stores/auth';
import { usePlacesStore } from './stores/places';
import { useSettingsStore } from './stores/settings';
import { useStationsStore } from './stores/stations';
import { useUiStore } from './stores/ui';
import './styles/base.css';

const app = createApp(App);
const pinia = createPinia();
const router = createAppRouter(createWebHistory(import.meta.env.BASE_URL));

const api = createApiClient({
  onUnauthorized: () => {
    const auth = useAuthStore(pinia);
    if (!auth.isAuthenticated) return;
    auth.forget();
    useUiStore(pinia).notify('error', 'errors.sessionExpired');
    const current = router.currentRoute.value;
    if (current.name !== 'login') void router.push({ name: 'login', query: { redirect: current.fullPath } });
  },
});

app.provide(apiClientKey, api);
app.use(pinia);

const ui = useUiStore(pinia);
const i18n = createAppI18n(ui.locale);
app.use(i18n);

watch(
  () => ui.locale,
  (locale) => {
    i18n.global.locale.value = locale;
    document.documentElement.lang = LOCALE_TAGS[locale];
  },
  { immediate: true },
);
watch(
  () => ui.theme,
  (theme) => {
    document.documentElement.dataset['theme'] = theme;
  },
  { immediate: true },
);

const auth = useAuthStore(pinia);
// Everything a signed-in user had loaded goes when the session goes (logout or expiry).
watch(
  () => auth.state,
  (state, previous) => {
    if (previous !== 'authenticated' || state !== 'anonymous') return;
    useStationsStore(pinia).reset();
    useActivityStore(pinia).reset();
    usePlacesStore(pinia).reset();
    useSettingsStore(pinia).reset();
  },
);
installAuthGuard(router, auth);
app.use(router);
app.mount('#app');
