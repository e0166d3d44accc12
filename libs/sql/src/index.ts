export * from './sql-client';
export * from './copy-text';
export * from './pg-sql-client';
export * from './pglite-sql-client';
export * from './sql-literal';
