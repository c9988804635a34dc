/** Tariffs with their versions and assignments, for the Tariffs page (setup store, explicit API). */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { AssignmentInput, Tariff, TariffInput, TariffVersionInput } from '../api/types';
import { useBillingApi } from '../components/billing/billing-api';

export const useBillingStore = defineStore('billing', () => {
  const api = useBillingApi();
  const tariffs = shallowRef<readonly Tariff[]>([]);
  const state = ref<'idle' | 'loading' | 'ready' | 'error'>('idle');

  async function load(): Promise<void> {
    state.value = 'loading';
    try {
      tariffs.value = (await api.listTariffs({ limit: 500 })).items;
      state.value = 'ready';
    } catch {
      state.value = 'error';
    }
  }

  const replace = (tariff: Tariff) => {
    const others = tariffs.value.filter((t) => t.id !== tariff.id);
    tariffs.value = [...others, tariff].sort((a, b) => a.name.localeCompare(b.name));
    return tariff;
  };

  return {
    tariffs,
    state,
    load,
    create: async (body: TariffInput) => replace(await api.createTariff(body)),
    addVersion: async (id: string, body: TariffVersionInput) => replace(await api.addVersion(id, body)),
    async remove(id: string): Promise<void> {
      await api.deleteTariff(id);
      tariffs.value = tariffs.value.filter((t) => t.id !== id);
    },
    /** Assigns (or with tariffId null unassigns), then reloads: a target moves between tariffs. */
    async assign(body: AssignmentInput): Promise<void> {
      await api.assign(body);
      await load();
    },
  };
});
