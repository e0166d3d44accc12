/** DI tokens for the store interfaces (TypeScript interfaces have no runtime value). */
export const SQL = Symbol('SqlClient');
export const EVENTS = Symbol('EventStore');
