export * from './sql-client';
export * from './pg-sql-client';
export * from './pglite-sql-client';
