import * as m001 from './001-initial';
import * as m002 from './002-trusted-register';
import * as m003 from './003-bound-register';
import * as m004 from './004-counter-speed';
import * as m005 from './005-prints';
import * as m006 from './006-stock';
import * as m007 from './007-applications';
import * as m008 from './008-supervisor-desk';
import * as m009 from './009-sign-in-throttle';
import * as m010 from './010-statistics-indexes';

/** Every migration, in order. A new schema change is a new numbered file added here. */
export const migrations: readonly { version: number; up: string }[] = [m001, m002, m003, m004, m005, m006, m007, m008, m009, m010];
