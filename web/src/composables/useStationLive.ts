/**
 * Watches one station's meter readings over the shell's live connection from mount to unmount,
 * following the station id when it changes.
 */
import { onBeforeUnmount, onMounted, toValue, watch, type MaybeRefOrGetter } from 'vue';
import { injectLiveSync } from './useLiveSync';

export function useStationLive(stationId: MaybeRefOrGetter<string>): void {
  const sync = injectLiveSync();
  let mounted = false;
  let unwatch: (() => void) | undefined;

  function follow(id: string): void {
    unwatch?.();
    unwatch = sync && id !== '' ? sync.watchStation(id) : undefined;
  }

  watch(
    () => toValue(stationId),
    (id) => {
      if (mounted) follow(id);
    },
  );
  onMounted(() => {
    mounted = true;
    follow(toValue(stationId));
  });
  onBeforeUnmount(() => {
    mounted = false;
    unwatch?.();
    unwatch = undefined;
  });
}
