export * from './config.js';
export * from './errors.js';
export * from './glossary.js';
export * from './logger.js';
export * from './types.js';
