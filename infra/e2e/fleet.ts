/** A one-site fleet for end-to-end tests, in the same format as infra/stack/demo-fleet.json. */
export const SITE_CODE = 'e2e-site';

export function e2eFleet(station16: string, station201: string) {
  return {
    tenant: { name: 'E2E Operator' },
    admin: { email: 'admin@e2e.voltmesh.local', name: 'E2E Admin', password: 'e2e-password-2026' },
    cities: [
      {
        name: 'Moscow',
        countryCode: 'RU',
        lat: 55.7558,
        lon: 37.6173,
        sites: [
          {
            code: SITE_CODE,
            name: 'E2E site',
            address: 'Tverskaya ul. 1, Moscow',
            lat: 55.7577,
            lon: 37.6136,
            gridCapacityKw: 300,
            stations: [
              {
                identity: station16,
                name: 'E2E 1.6 charger',
                lat: 55.7578,
                lon: 37.6134,
                ocppVersion: 'ocpp1.6',
                vendor: 'ABB',
                model: 'Terra AC W22',
                connectors: [
                  { type: 'Type2', maxPowerW: 22000 },
                  { type: 'Type2', maxPowerW: 22000 },
                ],
              },
              {
                identity: station201,
                name: 'E2E 2.0.1 charger',
                lat: 55.7576,
                lon: 37.6139,
                ocppVersion: 'ocpp2.0.1',
                vendor: 'Alpitronic',
                model: 'HYC300',
                connectors: [{ type: 'CCS2', maxPowerW: 150000 }],
              },
            ],
          },
        ],
      },
    ],
  };
}
