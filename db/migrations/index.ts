/**
 * Every migration, in order, listed explicitly: a directory glob breaks inside an asar archive.
 * The database's `user_version` is the number of migrations applied.
 */
import { sql as m0001 } from './0001-initial';
import { sql as m0002 } from './0002-workflow';
import { sql as m0003 } from './0003-sync';
import { sql as m0004 } from './0004-front-desk';
import { sql as m0005 } from './0005-dispensary';
import { sql as m0006 } from './0006-erequests';
import { sql as m0007 } from './0007-clinic';
import { sql as m0008 } from './0008-erequest-leases';
import { sql as m0009 } from './0009-fee-exemption';
import { sql as m0010 } from './0010-repay-after-void';
import { sql as m0011 } from './0011-desk-forms';
import { sql as m0012 } from './0012-portal-survey';
import { sql as m0013 } from './0013-regulation-adoption';
import { sql as m0014 } from './0014-desk-refusal';
import { sql as m0015 } from './0015-step-journal';
import { sql as m0016 } from './0016-person-exact-name';
import { sql as m0017 } from './0017-document-verification';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: m0001 },
  { version: 2, name: 'workflow', sql: m0002 },
  { version: 3, name: 'sync', sql: m0003 },
  { version: 4, name: 'front-desk', sql: m0004 },
  { version: 5, name: 'dispensary', sql: m0005 },
  { version: 6, name: 'erequests', sql: m0006 },
  { version: 7, name: 'clinic', sql: m0007 },
  { version: 8, name: 'erequest-leases', sql: m0008 },
  { version: 9, name: 'fee-exemption', sql: m0009 },
  { version: 10, name: 'repay-after-void', sql: m0010 },
  { version: 11, name: 'desk-forms', sql: m0011 },
  { version: 12, name: 'portal-survey', sql: m0012 },
  { version: 13, name: 'regulation-adoption', sql: m0013 },
  { version: 14, name: 'desk-refusal', sql: m0014 },
  { version: 15, name: 'step-journal', sql: m0015 },
  { version: 16, name: 'person-exact-name', sql: m0016 },
  { version: 17, name: 'document-verification', sql: m0017 },
];

export const SCHEMA_VERSION = MIGRATIONS.length;
