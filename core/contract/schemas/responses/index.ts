/**
 * Every response schema, by the name a route's responses give it (`schema: 'TicketResult'`):
 * whatever the modules of this folder export. Routes name their answers rather than import
 * them, so that no function builds them at its cold start (docs/performance.md §1); the OpenAPI
 * generator and the tests import this.
 */
export * from './common';
export * from './day-close';
export * from './identity';
export * from './reports';
export * from './setup';
export * from './system';
export * from './tenant';
export * from './tickets';
