/**
 * Owns one maplibre map for the station map component: the basemap (a configured MapLibre style URL,
 * or the built-in offline one, which is also the fallback when that style cannot be loaded), the
 * clustered station source, HTML cluster markers and the popup. The station source and layer are
 * added on every style load, so they survive the switch to the fallback. The map is created once; station data goes to the
 * source at most every `minUpdateIntervalMs`, on an animation frame, and never while a previous
 * setData is still in the worker: each setData re-clusters and re-tiles every station, so a status
 * map redrawn four times a second stays smooth with 10k stations streaming updates.
 */
import {
  Map as MapLibreMap,
  Marker,
  NavigationControl,
  Popup,
  type GeoJSONSource,
  type MapLayerMouseEvent,
} from 'maplibre-gl';
import type { Theme } from '../../stores/ui';
import { DISPLAY_STATUSES, type StatusCounts } from '../../domain/station-status';
import { basemapPaint, basemapStyle, COUNTRIES_SOURCE, loadCountries } from './basemap';
import { renderClusterMarker } from './cluster-marker';
import { configureMaplibre } from './maplibre-setup';
import {
  POINTS_LAYER,
  STATIONS_SOURCE,
  clusterCounts,
  clusterProperties,
  statusColorExpression,
  type MapData,
} from './station-features';

export interface StationMapControllerOptions {
  container: HTMLElement;
  theme: Theme;
  /** MapLibre style JSON URL (MAP_STYLE_URL); null draws the built-in offline basemap. */
  styleUrl: string | null;
  /** The style URL failed (error or no answer within `styleTimeoutMs`); the built-in one is drawn. */
  onBasemapFallback: () => void;
  styleTimeoutMs?: number;
  clusterLabel: (count: number) => string;
  onReady: () => void;
  /** Called with the data just handed to the source: what the map now draws. */
  onDrawn: (data: MapData) => void;
  onStationClick: (stationId: string, lngLat: [number, number]) => void;
  requestFrame?: (callback: () => void) => void;
  minUpdateIntervalMs?: number;
  now?: () => number;
}

export type StationMapController = ReturnType<typeof createStationMapController>;

export type Basemap = 'builtin' | 'style';

export function createStationMapController(options: StationMapControllerOptions) {
  const requestFrame =
    options.requestFrame ?? ((callback) => globalThis.requestAnimationFrame(() => callback()));
  const minUpdateIntervalMs = options.minUpdateIntervalMs ?? 250;
  const now = options.now ?? (() => globalThis.performance.now());
  configureMaplibre();
  let theme = options.theme;
  let basemap: Basemap = options.styleUrl === null ? 'builtin' : 'style';
  let styleLoaded = false;
  const map = new MapLibreMap({
    container: options.container,
    style: options.styleUrl ?? basemapStyle(theme),
    center: [0, 20],
    zoom: 1,
    attributionControl: false,
  });
  map.addControl(new NavigationControl({ showCompass: false }), 'top-right');

  let ready = false;
  let destroyed = false;
  let latest: MapData | undefined;
  /** What the source was last given: handed again to the new source after a style switch. */
  let current: MapData | undefined;
  let frameQueued = false;
  let lastFlushMs = -Infinity;
  let inFlight = false;
  let fitted = false;
  let popup: Popup | undefined;
  const clusterMarkers = new Map<number, { marker: Marker; signature: string }>();

  function scheduleFlush(): void {
    if (frameQueued || !ready || destroyed) return;
    frameQueued = true;
    const run = () =>
      requestFrame(() => {
        frameQueued = false;
        flush();
      });
    const waitMs = lastFlushMs + minUpdateIntervalMs - now();
    if (waitMs > 0) setTimeout(run, waitMs);
    else run();
  }

  function flush(): void {
    const source = map.getSource<GeoJSONSource>(STATIONS_SOURCE);
    if (!source || destroyed || inFlight || !latest) return;
    const next = latest;
    latest = undefined;
    current = next;
    inFlight = true;
    lastFlushMs = now();
    source
      .setData(next.collection)
      .catch(() => undefined)
      .finally(() => {
        inFlight = false;
        if (latest) scheduleFlush();
      });
    options.onDrawn(next);
    if (!fitted && next.bounds) {
      // Fit once on first load and after a filter change, never on live updates (the user may be panning).
      fitted = true;
      const [west, south, east, north] = next.bounds;
      map.fitBounds([west, south, east, north], { padding: 48, maxZoom: 12, duration: 0 });
    }
  }

  function signatureOf(counts: StatusCounts, label: string): string {
    return `${label}|${DISPLAY_STATUSES.map((s) => counts[s]).join(',')}`;
  }

  function updateClusterMarkers(): void {
    if (destroyed || !map.getSource(STATIONS_SOURCE) || !map.isSourceLoaded(STATIONS_SOURCE)) return;
    const seen = new Set<number>();
    for (const feature of map.querySourceFeatures(STATIONS_SOURCE, { filter: ['has', 'point_count'] })) {
      const properties = feature.properties as Record<string, unknown>;
      const clusterId = properties['cluster_id'];
      if (typeof clusterId !== 'number' || seen.has(clusterId) || feature.geometry.type !== 'Point') continue;
      seen.add(clusterId);
      const counts = clusterCounts(properties);
      const label = options.clusterLabel(Number(properties['point_count']));
      const signature = signatureOf(counts, label);
      const lngLat = feature.geometry.coordinates as [number, number];
      const existing = clusterMarkers.get(clusterId);
      if (existing) {
        existing.marker.setLngLat(lngLat);
        if (existing.signature !== signature) {
          renderClusterMarker(existing.marker.getElement() as HTMLButtonElement, counts, label);
          existing.signature = signature;
        }
        continue;
      }
      const button = globalThis.document.createElement('button');
      renderClusterMarker(button, counts, label);
      button.addEventListener('click', (event) => {
        event.stopPropagation();
        void zoomIntoCluster(clusterId, lngLat);
      });
      clusterMarkers.set(clusterId, {
        marker: new Marker({ element: button }).setLngLat(lngLat).addTo(map),
        signature,
      });
    }
    for (const [clusterId, entry] of clusterMarkers) {
      if (seen.has(clusterId)) continue;
      entry.marker.remove();
      clusterMarkers.delete(clusterId);
    }
  }

  async function zoomIntoCluster(clusterId: number, center: [number, number]): Promise<void> {
    const source = map.getSource<GeoJSONSource>(STATIONS_SOURCE);
    if (!source) return;
    try {
      map.easeTo({ center, zoom: await source.getClusterExpansionZoom(clusterId) });
    } catch {
      // The cluster vanished with a data update in the meantime; the next render shows the new ones.
    }
  }

  function onPointClick(event: MapLayerMouseEvent): void {
    const feature = event.features?.[0];
    const id: unknown = feature?.properties['id'];
    if (typeof id !== 'string' || feature?.geometry.type !== 'Point') return;
    options.onStationClick(id, feature.geometry.coordinates as [number, number]);
  }

  function installStations(): void {
    if (destroyed || map.getSource(STATIONS_SOURCE)) return;
    map.addSource(STATIONS_SOURCE, {
      type: 'geojson',
      data: { type: 'FeatureCollection', features: [] },
      cluster: true,
      clusterRadius: 48,
      clusterMaxZoom: 13,
      clusterProperties: clusterProperties(),
    });
    map.addLayer({
      id: POINTS_LAYER,
      type: 'circle',
      source: STATIONS_SOURCE,
      filter: ['!', ['has', 'point_count']],
      paint: {
        'circle-color': statusColorExpression() as never,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 4, 5, 14, 9],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.5,
      },
    });
    // A new style starts with an empty source: draw again what the old one showed.
    latest ??= current;
    scheduleFlush();
  }

  function fillCountries(): void {
    if (basemap !== 'builtin') return;
    loadCountries()
      .then((countries) => {
        if (!destroyed) void map.getSource<GeoJSONSource>(COUNTRIES_SOURCE)?.setData(countries);
      })
      .catch(() => undefined);
  }

  function fallBack(): void {
    clearTimeout(styleTimer);
    if (destroyed || basemap === 'builtin' || styleLoaded) return;
    basemap = 'builtin';
    map.setStyle(basemapStyle(theme), { diff: false });
    options.onBasemapFallback();
  }

  // Offline, a style URL may neither load nor fail for a long time: the built-in basemap then.
  const styleTimer = basemap === 'style' ? setTimeout(fallBack, options.styleTimeoutMs ?? 8000) : undefined;

  map.on('error', () => {
    // Before the style loaded, an error is the style itself (fetch, JSON, validation). Later ones are
    // tiles, sprites or glyphs of a style that works, which maplibre already retries or skips.
    if (basemap === 'style' && !styleLoaded) fallBack();
  });
  map.on('style.load', () => {
    if (basemap === 'style') {
      styleLoaded = true;
      clearTimeout(styleTimer);
    }
    installStations();
    fillCountries();
  });
  map.on('load', () => {
    if (destroyed) return;
    installStations();
    map.on('click', POINTS_LAYER, onPointClick);
    map.on('mouseenter', POINTS_LAYER, () => (map.getCanvas().style.cursor = 'pointer'));
    map.on('mouseleave', POINTS_LAYER, () => (map.getCanvas().style.cursor = ''));
    map.on('render', updateClusterMarkers);
    ready = true;
    options.onReady();
    scheduleFlush();
  });

  return {
    map,
    /** Queues the latest data; intermediate versions within a frame are skipped. */
    setData(data: MapData): void {
      latest = data;
      scheduleFlush();
    },
    /** Fits the view to the next data drawn (after the filters change). */
    refit(): void {
      fitted = false;
    },
    /** Which basemap is drawn: the configured style, or the built-in one (also after a fallback). */
    basemap(): Basemap {
      return basemap;
    },
    setTheme(next: Theme): void {
      theme = next;
      // A configured style has its own colours; the built-in one follows the app's theme.
      if (!ready || basemap !== 'builtin') return;
      for (const [layer, property, value] of basemapPaint(next)) map.setPaintProperty(layer, property, value);
    },
    /** Re-renders cluster labels, e.g. after a locale change. */
    relabel(): void {
      for (const entry of clusterMarkers.values()) entry.signature = '';
      updateClusterMarkers();
    },
    showPopup(lngLat: [number, number], content: HTMLElement, onClose: () => void): void {
      popup?.remove();
      const next = new Popup({ closeButton: true, maxWidth: '320px' })
        .setLngLat(lngLat)
        .setDOMContent(content);
      next.on('close', () => {
        if (popup === next) popup = undefined;
        onClose();
      });
      popup = next.addTo(map);
    },
    setPopupContent(content: HTMLElement): void {
      popup?.setDOMContent(content);
    },
    destroy(): void {
      destroyed = true;
      clearTimeout(styleTimer);
      popup?.remove();
      for (const entry of clusterMarkers.values()) entry.marker.remove();
      clusterMarkers.clear();
      map.remove();
    },
  };
}
