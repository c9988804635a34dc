/**
 * Turns stations into what the map draws: GeoJSON point features carrying the display status, the
 * per-status counts the map container exposes for browser tests, and the clustering expressions.
 * Pure functions, so the mapping is tested without WebGL.
 */
import type { ConnectorType, StationStatus, StationSummary } from '../../api/types';
import {
  DISPLAY_STATUSES,
  STATUS_COLORS,
  displayStatus,
  emptyStatusCounts,
  type DisplayStatus,
  type StatusCounts,
} from '../../domain/station-status';

export interface StationFeatureProperties {
  id: string;
  status: DisplayStatus;
}

export interface StationFeature {
  type: 'Feature';
  id: number;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: StationFeatureProperties;
}

export interface StationFeatureCollection {
  type: 'FeatureCollection';
  features: StationFeature[];
}

export type OnlineFilter = '' | 'online' | 'offline';

export interface StationFilter {
  cityId: string;
  siteId: string;
  status: StationStatus | '';
  online: OnlineFilter;
  /**
   * Applied by the server only (station summaries carry no connector types), so only the station
   * list offers it; the map leaves it empty.
   */
  connectorType: ConnectorType | '';
}

export interface FilterOption {
  id: string;
  name: string;
}

export interface SiteOption extends FilterOption {
  cityId: string | null;
}

export const STATIONS_SOURCE = 'stations';
export const POINTS_LAYER = 'station-points';

export const EMPTY_FILTER: StationFilter = {
  cityId: '',
  siteId: '',
  status: '',
  online: '',
  connectorType: '',
};

export const isFilterEmpty = (f: StationFilter): boolean =>
  f.cityId === '' && f.siteId === '' && f.status === '' && f.online === '' && f.connectorType === '';

export interface MapData {
  collection: StationFeatureCollection;
  counts: StatusCounts;
  /** Stations that pass the filter but have no usable coordinates, so are not drawn. */
  unlocated: number;
  /** [west, south, east, north] of the drawn stations, or null when none are drawn. */
  bounds: [number, number, number, number] | null;
}

export function matchesFilter(station: StationSummary, filter: StationFilter): boolean {
  return (
    (filter.cityId === '' || station.cityId === filter.cityId) &&
    (filter.siteId === '' || station.siteId === filter.siteId) &&
    (filter.status === '' || displayStatus(station) === filter.status) &&
    (filter.online === '' || station.online === (filter.online === 'online'))
  );
}

/** [lon, lat] when the station has usable coordinates. */
export function stationPosition(station: Pick<StationSummary, 'lat' | 'lon'>): [number, number] | null {
  const { lat, lon } = station;
  if (lat === null || lon === null || !Number.isFinite(lat) || !Number.isFinite(lon)) return null;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return [lon, lat];
}

export function toMapData(stations: Iterable<StationSummary>, filter: StationFilter = EMPTY_FILTER): MapData {
  const features: StationFeature[] = [];
  const counts = emptyStatusCounts();
  let unlocated = 0;
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;

  for (const station of stations) {
    if (!matchesFilter(station, filter)) continue;
    const position = stationPosition(station);
    if (!position) {
      unlocated++;
      continue;
    }
    const [lon, lat] = position;
    const status = displayStatus(station);
    counts[status]++;
    // Numeric ids keep cluster ids stable between updates and let maplibre diff features.
    features.push({
      type: 'Feature',
      id: features.length,
      geometry: { type: 'Point', coordinates: position },
      properties: { id: station.id, status },
    });
    west = Math.min(west, lon);
    east = Math.max(east, lon);
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  }

  return {
    collection: { type: 'FeatureCollection', features },
    counts,
    unlocated,
    bounds: features.length > 0 ? [west, south, east, north] : null,
  };
}

/** Per-status sums on each cluster (`clusterProperties`), read back by the cluster markers. */
export function clusterProperties(): Record<DisplayStatus, [unknown, unknown]> {
  const entries = DISPLAY_STATUSES.map(
    (status) => [status, ['+', ['case', ['==', ['get', 'status'], status], 1, 0]]] as const,
  );
  return Object.fromEntries(entries) as Record<DisplayStatus, [unknown, unknown]>;
}

/** A maplibre `match` expression colouring a point by its display status. */
export function statusColorExpression(): unknown[] {
  return [
    'match',
    ['get', 'status'],
    ...DISPLAY_STATUSES.flatMap((s) => [s, STATUS_COLORS[s]]),
    STATUS_COLORS.unknown,
  ];
}

export function clusterCounts(properties: Record<string, unknown>): StatusCounts {
  const counts = emptyStatusCounts();
  for (const status of DISPLAY_STATUSES) {
    const value = properties[status];
    counts[status] = typeof value === 'number' ? value : 0;
  }
  return counts;
}
