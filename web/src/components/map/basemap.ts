/**
 * The built-in offline basemap: Natural Earth country outlines (world-atlas) as fill and line
 * layers over a plain background. No network tiles, no glyphs, no sprites.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import { feature } from 'topojson-client';
import type { Theme } from '../../stores/ui';

export const BASEMAP_LAYERS = {
  background: 'basemap-water',
  land: 'basemap-land',
  borders: 'basemap-borders',
} as const;
export const COUNTRIES_SOURCE = 'basemap-countries';

interface BasemapPalette {
  water: string;
  land: string;
  border: string;
}

export const BASEMAP_PALETTES: Record<Theme, BasemapPalette> = {
  light: { water: '#dbe6f0', land: '#f7f8fa', border: '#a3b1c2' },
  dark: { water: '#0c1420', land: '#1c2533', border: '#3d4b5f' },
};

export interface EmptyFeatureCollection {
  type: 'FeatureCollection';
  features: [];
}

export const EMPTY_COLLECTION: EmptyFeatureCollection = { type: 'FeatureCollection', features: [] };

/** A style JSON with an empty countries source; the outlines are filled in by `loadCountries`. */
export function basemapStyle(theme: Theme) {
  const palette = BASEMAP_PALETTES[theme];
  return {
    version: 8 as const,
    sources: { [COUNTRIES_SOURCE]: { type: 'geojson' as const, data: EMPTY_COLLECTION } },
    layers: [
      {
        id: BASEMAP_LAYERS.background,
        type: 'background' as const,
        paint: { 'background-color': palette.water },
      },
      {
        id: BASEMAP_LAYERS.land,
        type: 'fill' as const,
        source: COUNTRIES_SOURCE,
        paint: { 'fill-color': palette.land },
      },
      {
        id: BASEMAP_LAYERS.borders,
        type: 'line' as const,
        source: COUNTRIES_SOURCE,
        paint: { 'line-color': palette.border, 'line-width': 0.6 },
      },
    ],
  };
}

/** Paint changes that switch the basemap to another theme without rebuilding the map. */
type PaintProperty = Parameters<MapLibreMap['setPaintProperty']>[1];

export function basemapPaint(theme: Theme): [layer: string, property: PaintProperty, value: string][] {
  const palette = BASEMAP_PALETTES[theme];
  return [
    [BASEMAP_LAYERS.background, 'background-color', palette.water],
    [BASEMAP_LAYERS.land, 'fill-color', palette.land],
    [BASEMAP_LAYERS.borders, 'line-color', palette.border],
  ];
}

/** Country polygons as GeoJSON; the TopoJSON is a separate chunk, loaded only with the map. */
export async function loadCountries() {
  const { default: topology } = await import('world-atlas/countries-50m.json');
  const countries = topology.objects['countries'];
  if (!countries) return EMPTY_COLLECTION;
  return feature(topology, countries);
}
