import type { Role } from './labels';

export interface User {
  id: string;
  username: string;
  name: string;
  role: Role;
  orgUnitCode: string;
  orgName?: string;
  orgPath?: string;
  partnerId: string | null;
  locale: string;
  mfaEnrolled?: boolean;
  mfaRequired?: boolean;
}

export interface Task {
  taskId: string;
  caseId: string;
  programme: string;
  step: string;
  kind: 'approval' | 'record' | 'followup';
  status: 'open' | 'completed' | 'cancelled';
  assigneeRole: string;
  orgUnitCode: string;
  partnerId: string | null;
  assigneeUserId: string | null;
  assigneeName: string | null;
  dueAt: string;
  dueDate: string;
  overdue: boolean;
  decision: string | null;
  note: string | null;
  createdAt: string;
  completedAt: string | null;
  caseNo?: string;
  personName?: string;
  claimable?: boolean;
}

export interface CaseSummary {
  caseId: string;
  caseNo: string;
  programme: string;
  status: 'open' | 'closed';
  step: string;
  waitingOn: string;
  outcome: string | null;
  orgUnitCode: string;
  orgName: string | null;
  personName: string;
  priority: number | null;
  openedAt: string;
  closedAt: string | null;
}

export interface TimelineEvent {
  seq: number;
  type: string;
  step: string | null;
  taskId: string | null;
  actor: { id: string; name: string; role: string } | null;
  decision: string | null;
  reason: string | null;
  ruleVersion: string | null;
  data: Record<string, any> | null;
  at: string;
}

export interface CaseDetail {
  case: {
    caseId: string;
    caseNo: string;
    programme: string;
    status: 'open' | 'closed';
    step: string;
    waitingOn: string;
    outcome: string | null;
    orgUnitCode: string;
    ruleVersion: string;
    partnerId: string | null;
    openedAt: string;
    closedAt: string | null;
    data: Record<string, any>;
    workflowId: string;
    temporalUiUrl: string | null;
  };
  person: {
    personId: string;
    name: string;
    sex: 'M' | 'F';
    age: number;
    residentId: string;
    disabilityCategory: number | null;
    disabilityGrade: number | null;
    hardship: string[];
    phone: string | null;
  };
  tasks: Task[];
  timeline: TimelineEvent[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface OrgNode {
  code: string;
  name: string;
  nameEn: string | null;
  level: 'city' | 'county' | 'township' | 'village';
  parentCode: string | null;
  path: string;
  /** false: deactivated by an admin (kept for history) */
  active: boolean;
  children: OrgNode[];
}

export interface Partner {
  id: string;
  name: string;
  kind: string;
  orgUnitCode: string;
  orgUnitName: string;
  services: string[];
  capacity: number | null;
  used: number;
  available: number | null;
  agreementStart: string;
  agreementEnd: string;
  inForce: boolean;
  status: 'active' | 'suspended';
  acceptsReferrals: boolean;
  editable: boolean;
}

export interface Staff {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  orgUnitCode: string;
  orgName: string;
  partnerId: string | null;
  phone: string | null;
  email: string | null;
  locale: string;
  active: boolean;
  locked: boolean;
  mfaEnrolled: boolean;
}

export interface Notification {
  id: string;
  type: string;
  title: string;
  body: string | null;
  caseId: string | null;
  taskId: string | null;
  readAt: string | null;
  createdAt: string;
}
