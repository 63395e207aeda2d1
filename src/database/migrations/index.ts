// Migrations are listed explicitly (not globbed) so the same list works from TypeScript
// in tests and from compiled JavaScript in production. Append new ones at the end.
import { BreakGlass1795427000000 } from './1795427000000-BreakGlass';
import { CaseNumbers1795425000000 } from './1795425000000-CaseNumbers';
import { InitialSchema1795421531082 } from './1795421531082-InitialSchema';
import { Security1795426000000 } from './1795426000000-Security';
import { Notifications1795430000000 } from './1795430000000-Notifications';
import { ChildRehab1795440000000 } from './1795440000000-ChildRehab';
import { Training1795450000000 } from './1795450000000-Training';
import { Monitoring1795460000000 } from './1795460000000-Monitoring';
import { PersonPiiEncryption1795470000000 } from './1795470000000-PersonPiiEncryption';
import { AuditIndexes1795480000000 } from './1795480000000-AuditIndexes';
import { PersonResidence1795490000000 } from './1795490000000-PersonResidence';
import { TaskClockStart1795493000000 } from './1795493000000-TaskClockStart';
import { OrgUnitActive1795496000000 } from './1795496000000-OrgUnitActive';
import { CaseRowVersion1795500000000 } from './1795500000000-CaseRowVersion';
import { TaskOpenSince1795503000000 } from './1795503000000-TaskOpenSince';

export const MIGRATIONS: Function[] = [InitialSchema1795421531082, CaseNumbers1795425000000, Security1795426000000, BreakGlass1795427000000, Notifications1795430000000, Training1795450000000, ChildRehab1795440000000, Monitoring1795460000000, PersonPiiEncryption1795470000000, AuditIndexes1795480000000, PersonResidence1795490000000, TaskClockStart1795493000000, OrgUnitActive1795496000000, CaseRowVersion1795500000000, TaskOpenSince1795503000000];
