// The Voltmesh REST API under k6: each virtual user logs in once, then reads the station list
// and the live snapshot. Credentials come from the environment only. The session cookie set by
// the login lands in the VU's cookie jar and is sent on the GETs (which need no CSRF token).
import http from 'k6/http';
import { check, sleep } from 'k6';

const base = __ENV.API_URL || 'http://127.0.0.1:8080';
const email = __ENV.API_EMAIL;
const password = __ENV.API_PASSWORD;

export const options = {
  vus: Number(__ENV.VUS || 10),
  duration: __ENV.DURATION || '2m',
  thresholds: { http_req_failed: ['rate<0.01'], http_req_duration: ['p(95)<300'] },
};

// Module scope is per VU: each VU has its own JS runtime.
let loggedIn = false;

export function setup() {
  if (!email || !password) throw new Error('set API_EMAIL and API_PASSWORD');
}

export default function () {
  if (!loggedIn) {
    const login = http.post(`${base}/api/auth/login`, JSON.stringify({ email, password }), {
      headers: { 'Content-Type': 'application/json' },
    });
    loggedIn = check(login, { 'login 200': (r) => r.status === 200 });
    if (!loggedIn) {
      sleep(5);
      return;
    }
  }
  const stations = http.get(`${base}/api/stations`);
  check(stations, { 'stations 200': (r) => r.status === 200 });
  const snapshot = http.get(`${base}/api/live/snapshot`);
  check(snapshot, { 'snapshot 200': (r) => r.status === 200 });
  sleep(1);
}
