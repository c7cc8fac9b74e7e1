/** The server's migrations, listed explicitly; versions are consecutive from 1. */
import { sql as m0001 } from './0001-initial';
import { sql as m0002 } from './0002-gateway';
import { sql as m0003 } from './0003-change-order';

export interface ServerMigration {
  version: number;
  name: string;
  sql: string;
}

export const SERVER_MIGRATIONS: readonly ServerMigration[] = [
  { version: 1, name: 'initial', sql: m0001 },
  { version: 2, name: 'gateway', sql: m0002 },
  { version: 3, name: 'change-order', sql: m0003 },
];
