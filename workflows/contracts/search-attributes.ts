/**
 * The Temporal search attributes every case workflow keeps (issue 7, "why is this case stuck"), so
 * operators can filter cases in the Temporal UI / `temporal workflow list --query` as well as in the
 * Postgres read model. Only codes and dates: no names, no ids of persons.
 *
 * They must be registered on the namespace before a workflow sets them (the server fails the workflow
 * task otherwise): scripts/lib/stack.mjs (dev/test server), docker-compose.yml (service
 * `temporal-search-attributes`), test/setup/search-attributes.ts (time-skipping test server).
 * Keep the four in step with CASE_SEARCH_ATTRIBUTE_TYPES.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Programme code, e.g. `cataract`. */
export const CaseProgramKey = defineSearchAttributeKey('CaseProgram', SearchAttributeType.KEYWORD);
/**
 * The case's org unit path as the list of its unit codes, top down (city, county, township, village).
 * A KeywordList so that "everything under this county" is one equality filter
 * (`CaseOrgPath = '<county code>'` matches any element), which a Keyword holding `/a/b/c/` cannot do
 * on every visibility store (prefix search is not available on the SQL stores of all versions).
 */
export const CaseOrgPathKey = defineSearchAttributeKey('CaseOrgPath', SearchAttributeType.KEYWORD_LIST);
/** Current step code, e.g. `screening`. */
export const CaseStepKey = defineSearchAttributeKey('CaseStep', SearchAttributeType.KEYWORD);
/** Earliest due instant of the case's open tasks; unset while no task is open. */
export const CaseDueAtKey = defineSearchAttributeKey('CaseDueAt', SearchAttributeType.DATETIME);
/** Who the case waits on: staff / partner / resident / timer / none. */
export const CaseWaitingOnKey = defineSearchAttributeKey('CaseWaitingOn', SearchAttributeType.KEYWORD);

/** Name → type, as `temporal operator search-attribute create --name N --type T` spells the type. */
export const CASE_SEARCH_ATTRIBUTE_TYPES = {
  CaseProgram: 'Keyword',
  CaseOrgPath: 'KeywordList',
  CaseStep: 'Keyword',
  CaseDueAt: 'Datetime',
  CaseWaitingOn: 'Keyword',
} as const;

/** `/4401/440106/440106101/` → `['4401', '440106', '440106101']`. */
export function orgPathCodes(orgPath: string): string[] {
  return orgPath.split('/').filter((s) => s.length > 0);
}
