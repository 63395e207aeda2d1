import { AuditLog } from '../auth/audit-log.entity';
import { AuthSession } from '../auth/auth-session.entity';
import { BreakGlassGrant } from '../auth/break-glass.entity';
import { StaffUser } from '../auth/staff-user.entity';
import { CalendarOverride, CalendarYear } from '../calendar/calendar-override.entity';
import { CaseEvent } from '../cases/case-event.entity';
import { CaseFile } from '../cases/case.entity';
import { NotificationAttempt, NotificationDelivery, NotificationDigest, NotificationPreference, PersonSmsConsent } from '../notifications/delivery.entities';
import { Notification } from '../notifications/notification.entity';
import { OrgUnit } from '../orgs/org-unit.entity';
import { Partner } from '../orgs/partner.entity';
import { Person } from '../persons/person.entity';
import { Campaign } from '../programmes/campaign.entity';
import { ProgrammeConfig } from '../programmes/programme-config.entity';
import { Task } from '../tasks/task.entity';
import { MonitoringOperation, Workday } from '../monitoring/monitoring.entity';
import { Payment } from '../rehab/payment.entity';
import { RehabAgreement } from '../rehab/rehab-agreement.entity';
import { RehabWaitlist } from '../rehab/rehab-waitlist.entity';
import { Course, CourseEnrolment, EmployerProfile, JobPlacement, JobPosition } from '../training/training.entity';

/** Every entity, listed once; the DataSource of the app and of the CLI both use this list. */
export const ENTITIES = [
  OrgUnit,
  Partner,
  StaffUser,
  Person,
  CaseFile,
  CaseEvent,
  Task,
  CalendarOverride,
  CalendarYear,
  ProgrammeConfig,
  Campaign,
  Notification,
  NotificationDelivery,
  NotificationAttempt,
  NotificationPreference,
  NotificationDigest,
  PersonSmsConsent,
  AuthSession,
  AuditLog,
  BreakGlassGrant,
  Course, CourseEnrolment, JobPosition, EmployerProfile, JobPlacement,
  RehabAgreement, RehabWaitlist, Payment,
  Workday, MonitoringOperation,
];
