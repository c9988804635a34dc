/** Fleet files (the `cli seed-demo` format, see infra/stack/demo-fleet.json) for benchmark runs. */

export const BENCH_ADMIN = {
  email: 'admin@bench.voltmesh.local',
  name: 'Bench Admin',
  password: 'bench-password-2026',
} as const;

export const benchIdentity = (prefix: string, n: number) => `${prefix}-${String(n).padStart(5, '0')}`;

/** One tenant, one city, one site of `stations` 1.6 AC chargers laid out on a grid. */
export function benchFleet(siteCode: string, stations: number, prefix = 'BENCH') {
  return {
    tenant: { name: 'Bench Operator' },
    admin: BENCH_ADMIN,
    cities: [
      {
        name: 'Berlin',
        countryCode: 'DE',
        lat: 52.52,
        lon: 13.405,
        sites: [
          {
            code: siteCode,
            name: 'Bench site',
            address: 'Alexanderplatz 1, Berlin',
            lat: 52.5219,
            lon: 13.4132,
            gridCapacityKw: stations * 22,
            stations: Array.from({ length: stations }, (_, i) => ({
              identity: benchIdentity(prefix, i),
              name: `Bench charger ${i}`,
              lat: 52.5219 + Math.floor(i / 50) * 0.0005,
              lon: 13.4132 + (i % 50) * 0.0008,
              ocppVersion: 'ocpp1.6' as const,
              vendor: 'Voltmesh',
              model: 'Bench-22',
              connectors: [{ type: 'Type2', maxPowerW: 22_000 }],
            })),
          },
        ],
      },
    ],
  };
}
