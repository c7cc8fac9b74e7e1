/**
 * Every migration, in order, listed explicitly: a directory glob breaks inside an asar archive.
 * The database's `user_version` is the number of migrations applied.
 */
import { sql as m0001 } from './0001-initial';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [{ version: 1, name: 'initial', sql: m0001 }];

export const SCHEMA_VERSION = MIGRATIONS.length;
