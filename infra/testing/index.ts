export { testServices, type TestServices } from './context.js';
export { createTestDatabase, type TestDatabase } from './database.js';
export * from '../services/index.js';
