import { describe, expect, it, vi } from 'vitest';
import { fakeApi, harness } from '../testing/fixtures';
import { useSettingsStore } from './settings';

describe('settings store', () => {
  it('fetches the UI settings once, tries again after a failure and forgets them on reset', async () => {
    const uiSettings = vi
      .fn()
      .mockRejectedValueOnce(new Error('down'))
      .mockResolvedValue({ mapStyleUrl: 'https://tiles.example.com/style.json', demo: false });
    harness(fakeApi({ uiSettings }));
    const settings = useSettingsStore();

    expect(await settings.loadUi()).toBeNull();
    expect(settings.ui).toBeNull();
    const [first, second] = await Promise.all([settings.loadUi(), settings.loadUi()]);
    expect(first).toEqual({ mapStyleUrl: 'https://tiles.example.com/style.json', demo: false });
    expect(second).toBe(first);
    expect(settings.ui).toBe(first);
    expect(uiSettings).toHaveBeenCalledTimes(2);

    settings.reset();
    expect(settings.ui).toBeNull();
    await settings.loadUi();
    expect(uiSettings).toHaveBeenCalledTimes(3);
  });

  it('loads the public settings for the login page', async () => {
    harness(fakeApi({ publicSettings: () => Promise.resolve({ demo: true }) }));
    const settings = useSettingsStore();
    await settings.loadPublic();
    expect(settings.publicSettings).toEqual({ demo: true });
  });
});
