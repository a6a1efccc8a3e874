export * from './connect.js';
export * from './crawl-summary.js';
export * from './documents.js';
export * from './extractions.js';
export * from './fetches.js';
export * from './migrate.js';
export * from './sources.js';
export * from './timeline.js';
