// maplibre needs WebGL, which happy-dom lacks: this test swaps in a fake Map that records what the
// component hands it. The real map is covered by the browser test in Chromium.
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { UiSettings } from '../api/types';
import { fakeApi, harness, station } from '../testing/fixtures';
import { useUiStore } from '../stores/ui';
import StationMap from './StationMap.vue';

type Handler = (...args: unknown[]) => void;

const fakes = vi.hoisted(() => {
  class FakeSource {
    setData = vi.fn((_data: unknown) => Promise.resolve());
    getClusterExpansionZoom = vi.fn(() => Promise.resolve(9));
  }
  class FakeMap {
    static instances: FakeMap[] = [];
    handlers: { event: string; layer?: string; handler: (...args: unknown[]) => void }[] = [];
    sources = new Map<string, FakeSource>();
    layers: { id: string }[] = [];
    clusterFeatures: unknown[] = [];
    fitBounds = vi.fn();
    easeTo = vi.fn();
    remove = vi.fn();
    setPaintProperty = vi.fn();
    /** Like maplibre without a diff: the old style's sources and layers are gone. */
    setStyle = vi.fn((style: unknown) => {
      this.styleSet = style;
      this.sources.clear();
      this.layers = [];
    });
    styleSet: unknown;
    constructor(public options: { container: HTMLElement; style: unknown }) {
      FakeMap.instances.push(this);
    }
    on(event: string, layerOrHandler: unknown, handler?: unknown) {
      if (typeof layerOrHandler === 'function')
        this.handlers.push({ event, handler: layerOrHandler as Handler });
      else this.handlers.push({ event, layer: layerOrHandler as string, handler: handler as Handler });
      return this;
    }
    fire(event: string, layer?: string, ...args: unknown[]) {
      for (const h of this.handlers) if (h.event === event && h.layer === layer) h.handler(...args);
    }
    addControl() {
      return this;
    }
    addSource(id: string) {
      this.sources.set(id, new FakeSource());
    }
    getSource(id: string) {
      return this.sources.get(id);
    }
    addLayer(layer: { id: string }) {
      this.layers.push(layer);
    }
    isSourceLoaded() {
      return true;
    }
    querySourceFeatures() {
      return this.clusterFeatures;
    }
    getCanvas() {
      return { style: {} };
    }
  }
  class FakeMarker {
    static instances: FakeMarker[] = [];
    element: HTMLElement;
    constructor(options: { element: HTMLElement }) {
      this.element = options.element;
      FakeMarker.instances.push(this);
    }
    setLngLat() {
      return this;
    }
    addTo() {
      return this;
    }
    getElement() {
      return this.element;
    }
    remove = vi.fn();
  }
  class FakePopup {
    static instances: FakePopup[] = [];
    content: HTMLElement | undefined;
    constructor() {
      FakePopup.instances.push(this);
    }
    setLngLat() {
      return this;
    }
    setDOMContent(content: HTMLElement) {
      this.content = content;
      return this;
    }
    on() {
      return this;
    }
    addTo() {
      return this;
    }
    remove = vi.fn();
  }
  return { FakeMap, FakeMarker, FakePopup, setWorkerUrl: vi.fn() };
});

vi.mock('maplibre-gl', () => ({
  Map: fakes.FakeMap,
  Marker: fakes.FakeMarker,
  Popup: fakes.FakePopup,
  NavigationControl: class {},
  setWorkerUrl: fakes.setWorkerUrl,
}));

const stations = [
  station({ id: 'a', name: 'Harbour 1', status: 'available', lat: 59.4, lon: 24.7 }),
  station({
    id: 'b',
    status: 'charging',
    lat: 59.5,
    lon: 24.9,
    cityId: 'city-2',
    cityName: 'Tartu',
    siteId: 's2',
    siteName: 'Mall',
  }),
  station({ id: 'c', status: 'faulted', online: false, lat: 58.4, lon: 26.7 }),
  station({ id: 'd', status: 'unknown', lat: null, lon: null }),
];

/** Mounts the map and waits until it is built (after the UI settings are known). */
async function createMap(initial = stations, settings?: UiSettings) {
  const h = harness(fakeApi(settings ? { uiSettings: () => Promise.resolve(settings) } : {}));
  const wrapper = mount(StationMap, {
    props: { stations: initial },
    global: h.global,
    attachTo: document.body,
  });
  await flushPromises();
  const map = fakes.FakeMap.instances.at(-1)!;
  return { wrapper, map, router: h.router };
}

async function mountMap(initial = stations) {
  const { wrapper, map, router } = await createMap(initial);
  map.fire('load');
  await vi.waitFor(() => expect(map.sources.get('stations')?.setData).toHaveBeenCalled());
  await flushPromises();
  return { wrapper, map, source: map.sources.get('stations')!, router };
}

afterEach(() => {
  fakes.FakeMap.instances.length = 0;
  fakes.FakeMarker.instances.length = 0;
  fakes.FakePopup.instances.length = 0;
  document.body.innerHTML = '';
});

describe('StationMap', () => {
  it('sets the worker URL, draws located stations and exposes counts on the container', async () => {
    const { wrapper, map, source } = await mountMap();
    expect(fakes.setWorkerUrl).toHaveBeenCalledWith(expect.stringContaining('maplibre-gl-worker'));
    expect(map.layers.map((l) => l.id)).toEqual(['station-points']);

    const collection = source.setData.mock.calls.at(-1)![0] as { features: { properties: unknown }[] };
    expect(collection.features.map((f) => f.properties)).toEqual([
      { id: 'a', status: 'available' },
      { id: 'b', status: 'charging' },
      { id: 'c', status: 'offline' },
    ]);
    const el = wrapper.get('[data-testid="station-map"]');
    expect(el.attributes()).toMatchObject({
      'data-map-ready': 'true',
      'data-station-count': '3',
      'data-status-available': '1',
      'data-status-charging': '1',
      'data-status-offline': '1',
      'data-status-faulted': '0',
      'data-unlocated-count': '1',
    });
    expect(map.fitBounds).toHaveBeenCalledWith(
      [24.7, 58.4, 26.7, 59.5],
      expect.objectContaining({ maxZoom: 12 }),
    );
  });

  it('coalesces a burst of updates into one setData per frame and never re-creates the map', async () => {
    const { wrapper, source } = await mountMap();
    const before = source.setData.mock.calls.length;
    for (const status of ['charging', 'faulted', 'unavailable'] as const) {
      await wrapper.setProps({
        stations: [station({ id: 'a', status, lat: 59.4, lon: 24.7 }), ...stations.slice(1)],
      });
    }
    await vi.waitFor(() => expect(source.setData.mock.calls.length).toBeGreaterThan(before));
    await flushPromises();

    expect(source.setData.mock.calls.length - before).toBe(1);
    expect(fakes.FakeMap.instances).toHaveLength(1);
    expect(wrapper.get('[data-testid="station-map"]').attributes('data-status-unavailable')).toBe('1');
  });

  it('filters by city and status from the toolbar', async () => {
    const { wrapper } = await mountMap();
    await wrapper.get('[data-testid="filter-city"]').setValue('city-2');
    await vi.waitFor(() =>
      expect(wrapper.get('[data-testid="station-map"]').attributes('data-station-count')).toBe('1'),
    );
    await wrapper.get('[data-testid="filter-city"]').setValue('');
    await wrapper.get('[data-testid="filter-status"]').setValue('offline');
    await vi.waitFor(() =>
      expect(wrapper.get('[data-testid="station-map"]').attributes()).toMatchObject({
        'data-station-count': '1',
        'data-status-offline': '1',
      }),
    );
  });

  it('opens a popup with status, connectors and a link to the station page', async () => {
    const { map } = await mountMap();
    map.fire('click', 'station-points', {
      features: [
        {
          properties: { id: 'a', status: 'available' },
          geometry: { type: 'Point', coordinates: [24.7, 59.4] },
        },
      ],
    });
    const content = fakes.FakePopup.instances.at(-1)?.content;
    expect(content?.textContent).toContain('Harbour 1');
    expect(content?.textContent).toContain('Available');
    expect(content?.textContent).toContain('EVSE 1, connector 1');
    expect(content?.querySelector('a')?.getAttribute('href')).toBe('/stations/a');
  });

  it('draws clusters as labelled buttons showing the count', async () => {
    const { map } = await mountMap();
    map.clusterFeatures = [
      {
        properties: { cluster_id: 11, point_count: 5, available: 2, charging: 2, faulted: 1 },
        geometry: { type: 'Point', coordinates: [24.8, 59.4] },
      },
    ];
    map.fire('render');
    const button = fakes.FakeMarker.instances[0]?.element;
    expect(button?.tagName).toBe('BUTTON');
    expect(button?.getAttribute('aria-label')).toBe('Group of 5 stations. Zoom in.');
    expect(button?.dataset['count']).toBe('5');
  });

  describe('basemap', () => {
    const STYLE = 'https://tiles.example.com/style.json';
    const withStyle = { mapStyleUrl: STYLE, demo: false };
    const drawnIds = (map: InstanceType<typeof fakes.FakeMap>) => {
      const collection = map.sources.get('stations')?.setData.mock.calls.at(-1)?.[0] as
        { features: { properties: { id: string } }[] } | undefined;
      return collection?.features.map((f) => f.properties.id);
    };

    it('draws the built-in offline basemap when no style is configured or the settings fail', async () => {
      const { wrapper, map } = await createMap(stations, { mapStyleUrl: null, demo: false });
      expect(map.options.style).toMatchObject({ version: 8, layers: [{ id: 'basemap-water' }, {}, {}] });
      expect(wrapper.get('[data-testid="station-map"]').attributes('data-basemap')).toBe('builtin');
      const failed = await createMap();
      expect(failed.map.options.style).toMatchObject({ version: 8 });
    });

    it('uses the configured style URL and draws the stations on it', async () => {
      const { wrapper, map } = await createMap(stations, withStyle);
      expect(map.options.style).toBe(STYLE);
      map.fire('style.load');
      map.fire('load');
      await vi.waitFor(() => expect(drawnIds(map)).toEqual(['a', 'b', 'c']));
      expect(map.layers.map((l) => l.id)).toEqual(['station-points']);
      expect(wrapper.get('[data-testid="station-map"]').attributes('data-basemap')).toBe('style');

      // The configured style keeps its own colours; a later tile error is no reason to leave it.
      useUiStore().toggleTheme();
      map.fire('error', undefined, { error: new Error('tile 404') });
      await flushPromises();
      expect(map.setPaintProperty).not.toHaveBeenCalled();
      expect(map.setStyle).not.toHaveBeenCalled();
    });

    it('falls back to the built-in basemap with a toast when the style fails, and keeps stations and clusters', async () => {
      const { wrapper, map } = await createMap(stations, withStyle);
      map.fire('error', undefined, { error: new Error('Failed to fetch') });
      await flushPromises();
      expect(map.setStyle).toHaveBeenCalledOnce();
      expect(map.styleSet).toMatchObject({ version: 8, layers: [{ id: 'basemap-water' }, {}, {}] });
      expect(wrapper.get('[data-testid="station-map"]').attributes('data-basemap')).toBe('builtin');
      expect(useUiStore().toasts).toEqual([
        expect.objectContaining({ kind: 'error', messageKey: 'map.styleFallback' }),
      ]);

      map.fire('style.load');
      map.fire('load');
      await vi.waitFor(() => expect(drawnIds(map)).toEqual(['a', 'b', 'c']));
      expect(map.layers.map((l) => l.id)).toEqual(['station-points']);
      expect(wrapper.get('[data-testid="station-map"]').attributes('data-map-ready')).toBe('true');
      map.clusterFeatures = [
        {
          properties: { cluster_id: 3, point_count: 2, available: 1, charging: 1 },
          geometry: { type: 'Point', coordinates: [24.8, 59.4] },
        },
      ];
      map.fire('render');
      expect(fakes.FakeMarker.instances[0]?.element.dataset['count']).toBe('2');
      // The built-in basemap follows the theme again.
      useUiStore().toggleTheme();
      await flushPromises();
      expect(map.setPaintProperty).toHaveBeenCalledWith(
        'basemap-water',
        'background-color',
        expect.any(String),
      );
    });

    it('falls back when the style does not answer in time', async () => {
      vi.useFakeTimers();
      try {
        const { map } = await createMap(stations, withStyle);
        await vi.advanceTimersByTimeAsync(7999);
        expect(map.setStyle).not.toHaveBeenCalled();
        await vi.advanceTimersByTimeAsync(1);
        expect(map.setStyle).toHaveBeenCalledOnce();
      } finally {
        vi.useRealTimers();
      }
    });
  });
});
