/**
 * Registers the case search attributes (workflows/contracts/search-attributes.ts) on the namespace
 * of the time-skipping test server (through its operator service), which fails the workflow task of
 * a workflow that upserts an attribute it does not know. The dev server of the test command gets them
 * from its `--search-attribute` flags (scripts/lib/stack.mjs). The test server implements
 * AddSearchAttributes but not ListSearchAttributes, so this adds all and accepts "already exists".
 */
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { CASE_SEARCH_ATTRIBUTE_TYPES } from '../../workflows/contracts/search-attributes';

const T = temporal.api.enums.v1.IndexedValueType;
const INDEXED: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  Keyword: T.INDEXED_VALUE_TYPE_KEYWORD,
  KeywordList: T.INDEXED_VALUE_TYPE_KEYWORD_LIST,
  Datetime: T.INDEXED_VALUE_TYPE_DATETIME,
};
const ALREADY_EXISTS = 6; // gRPC status code

export async function registerCaseSearchAttributes(connection: Connection, namespace = 'default'): Promise<void> {
  const searchAttributes = Object.fromEntries(Object.entries(CASE_SEARCH_ATTRIBUTE_TYPES).map(([name, type]) => [name, INDEXED[type]]));
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  } catch (e) {
    if ((e as { code?: number }).code !== ALREADY_EXISTS) throw e;
  }
}
