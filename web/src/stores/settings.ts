/**
 * Deployment settings from the cloud: `public` (before login: is this a demo) and `ui` (signed in:
 * the map's basemap style). Each is fetched once; a failed fetch leaves the defaults (no demo hint,
 * built-in basemap) and is tried again on the next call.
 */
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import { useApi } from '../api/inject';
import type { PublicSettings, UiSettings } from '../api/types';

export const useSettingsStore = defineStore('settings', () => {
  const api = useApi();
  const publicSettings = shallowRef<PublicSettings | null>(null);
  const ui = shallowRef<UiSettings | null>(null);
  let publicLoad: Promise<PublicSettings | null> | null = null;
  let uiLoad: Promise<UiSettings | null> | null = null;

  function loadPublic(): Promise<PublicSettings | null> {
    publicLoad ??= api.publicSettings().then(
      (settings) => (publicSettings.value = settings),
      () => {
        publicLoad = null;
        return null;
      },
    );
    return publicLoad;
  }

  function loadUi(): Promise<UiSettings | null> {
    uiLoad ??= api.uiSettings().then(
      (settings) => (ui.value = settings),
      () => {
        uiLoad = null;
        return null;
      },
    );
    return uiLoad;
  }

  /** On sign-out: the next user may belong to another deployment's view of the settings. */
  function reset(): void {
    ui.value = null;
    uiLoad = null;
  }

  return { publicSettings, ui, loadPublic, loadUi, reset };
});
