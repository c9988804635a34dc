import { describe, expect, it } from 'vitest';
import { station } from '../../testing/fixtures';
import {
  clusterCounts,
  clusterProperties,
  EMPTY_FILTER,
  statusColorExpression,
  toMapData,
} from './station-features';
import { ringSegments } from './cluster-marker';
import { connectorStatusOf } from '../../domain/station-status';

describe('station map data', () => {
  const stations = [
    station({ id: 'a', status: 'available', lat: 59.4, lon: 24.7 }),
    station({ id: 'b', status: 'charging', lat: 59.5, lon: 24.9, siteId: 'site-2', cityId: 'city-2' }),
    station({ id: 'c', status: 'charging', online: false, lat: 58.4, lon: 26.7 }),
    station({ id: 'd', status: 'faulted', lat: null, lon: null }),
    station({ id: 'e', status: 'unavailable', lat: 91, lon: 0 }),
  ];

  it('maps located stations to point features carrying the display status', () => {
    const data = toMapData(stations);
    expect(
      data.collection.features.map((f) => [f.properties.id, f.properties.status, f.geometry.coordinates]),
    ).toEqual([
      ['a', 'available', [24.7, 59.4]],
      ['b', 'charging', [24.9, 59.5]],
      ['c', 'offline', [26.7, 58.4]],
    ]);
    expect(data.collection.features.map((f) => f.id)).toEqual([0, 1, 2]);
    expect(data.counts).toEqual({
      available: 1,
      charging: 1,
      offline: 1,
      faulted: 0,
      unavailable: 0,
      unknown: 0,
    });
    expect(data.unlocated).toBe(2);
    expect(data.bounds).toEqual([24.7, 58.4, 26.7, 59.5]);
  });

  it('applies city, site and display-status filters', () => {
    expect(
      toMapData(stations, { ...EMPTY_FILTER, cityId: 'city-2', siteId: '', status: '' }).counts.charging,
    ).toBe(1);
    expect(
      toMapData(stations, { ...EMPTY_FILTER, cityId: '', siteId: 'site-1', status: '' }).collection.features,
    ).toHaveLength(2);
    const offline = toMapData(stations, { ...EMPTY_FILTER, cityId: '', siteId: '', status: 'offline' });
    // "Offline" as the online filter: the same stations as the offline status.
    expect(toMapData(stations, { ...EMPTY_FILTER, online: 'offline' }).collection.features).toEqual(
      offline.collection.features,
    );
    const online = toMapData(stations, { ...EMPTY_FILTER, online: 'online' }).collection.features;
    expect(online.map((f) => f.properties.id)).toEqual(['a', 'b']);
    expect(offline.collection.features.map((f) => f.properties.id)).toEqual(['c']);
    expect(toMapData([], { ...EMPTY_FILTER, cityId: '', siteId: '', status: '' }).bounds).toBeNull();
  });

  it('sums each status per cluster and colours points by status', () => {
    expect(clusterProperties()['faulted']).toEqual([
      '+',
      ['case', ['==', ['get', 'status'], 'faulted'], 1, 0],
    ]);
    expect(Object.keys(clusterProperties()).sort()).toEqual(
      ['available', 'charging', 'faulted', 'offline', 'unavailable', 'unknown'].sort(),
    );
    const expression = statusColorExpression();
    expect(expression.slice(0, 4)).toEqual(['match', ['get', 'status'], 'available', '#16a34a']);
    expect(clusterCounts({ charging: 3, faulted: 1, cluster_id: 7 })).toMatchObject({
      charging: 3,
      faulted: 1,
      available: 0,
    });
  });

  it('splits the cluster ring by status share', () => {
    const segments = ringSegments({
      available: 1,
      charging: 3,
      faulted: 0,
      unavailable: 0,
      offline: 0,
      unknown: 0,
    });
    expect(segments).toEqual([
      ['#16a34a', 0, 0.25],
      ['#2563eb', 0.25, 1],
    ]);
  });

  it('keeps stations without a city and reads unexpected connector statuses as unknown', () => {
    const cityless = station({ id: 'x', cityId: null, cityName: null });
    expect(toMapData([cityless]).collection.features).toHaveLength(1);
    expect(
      toMapData([cityless], { ...EMPTY_FILTER, cityId: 'city-1', siteId: '', status: '' }).collection
        .features,
    ).toHaveLength(0);
    expect(connectorStatusOf({ status: 'occupied' })).toBe('occupied');
    expect(connectorStatusOf({ status: 'SuspendedEV' as never })).toBe('unknown');
  });
});
