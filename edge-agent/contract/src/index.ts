export * from './events.js';
export * from './envelope.js';
export * from './commands.js';
export * from './subjects.js';
export * from './site-config.js';
