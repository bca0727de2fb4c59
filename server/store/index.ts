/** The store: the only code that touches SQLite. Routes and capture see the `Store` interface only. */
export * from './types';
export { createStore } from './sqlite';
