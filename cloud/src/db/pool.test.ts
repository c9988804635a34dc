import { describe, expect, it } from 'vitest';
import { classifyDbError, DB_FAILURES } from './pool.js';

describe('classifyDbError', () => {
  it('retries when the database is away or asks for a retry', () => {
    for (const e of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      { code: '57P01', message: 'terminating connection due to administrator command' },
      { code: '08006', message: 'connection failure' },
      { code: '40P01', message: 'deadlock detected' },
      new Error('Connection terminated unexpectedly'),
      new Error('Client has encountered a connection error and is not queryable'),
      new Error('timeout exceeded when trying to connect'),
    ]) {
      expect(classifyDbError(e)).toBe(DB_FAILURES.unavailable);
    }
  });

  it('rejects data that breaks a rule', () => {
    expect(classifyDbError({ code: '23514', message: 'violates check constraint' })).toBe(
      DB_FAILURES.rejected,
    );
    expect(classifyDbError({ code: '22003', message: 'numeric field overflow' })).toBe(DB_FAILURES.rejected);
  });

  it('calls everything else a failure (a bug or a schema mismatch), not bad data', () => {
    expect(classifyDbError({ code: '42703', message: 'column does not exist' })).toBe(DB_FAILURES.failed);
    expect(classifyDbError(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(
      DB_FAILURES.failed,
    );
  });
});
