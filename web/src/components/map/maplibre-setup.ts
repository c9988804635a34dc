/**
 * maplibre-gl 6 runs its worker from a separate module file. Vite must emit that file and maplibre
 * must be told its URL, or the built map never draws (DESIGN.md, "Pinned toolchain").
 */
import { setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';

let configured = false;

export function configureMaplibre(): void {
  if (configured) return;
  setWorkerUrl(workerUrl);
  configured = true;
}
