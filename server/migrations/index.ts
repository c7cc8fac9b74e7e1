/** The server's migrations, listed explicitly; versions are consecutive from 1. */
import { sql as m0001 } from './0001-initial';
import { sql as m0002 } from './0002-gateway';
import { sql as m0003 } from './0003-identity';
import { sql as m0004 } from './0004-erequest-leases';
import { sql as m0005 } from './0005-change-order';
import { sql as m0006 } from './0006-gateway-client-ids';
import { sql as m0007 } from './0007-audit-head';
import { sql as m0008 } from './0008-org-certificate';
import { sql as m0009 } from './0009-portal-survey';
import { sql as m0010 } from './0010-document-verification';

export interface ServerMigration {
  version: number;
  name: string;
  sql: string;
}

export const SERVER_MIGRATIONS: readonly ServerMigration[] = [
  { version: 1, name: 'initial', sql: m0001 },
  { version: 2, name: 'gateway', sql: m0002 },
  { version: 3, name: 'identity', sql: m0003 },
  { version: 4, name: 'erequest-leases', sql: m0004 },
  { version: 5, name: 'change-order', sql: m0005 },
  { version: 6, name: 'gateway-client-ids', sql: m0006 },
  { version: 7, name: 'audit-head', sql: m0007 },
  { version: 8, name: 'org-certificate', sql: m0008 },
  { version: 9, name: 'portal-survey', sql: m0009 },
  { version: 10, name: 'document-verification', sql: m0010 },
];
