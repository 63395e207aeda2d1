/**
 * A yearly report is a list of figures per programme. Each programme contributes one
 * `ProgrammeFigures`: a SQL "base" selecting the programme's cases relevant to the year in scope
 * (one row per case, with the columns its figures need), and figure definitions as SQL over that
 * base. The same predicate gives the figure's value and its drill-down list, so they always agree.
 *
 * Parameters available to `base` (positional):
 *   $1  org path prefix for LIKE (scope), e.g. '/360100/360121/%'
 *   $2  start of the year (timestamptz, Asia/Shanghai 1 January 00:00)
 *   $3  start of the next year (timestamptz)
 *   $4  first day of the year (date 'YYYY-01-01')
 *   $5  first day of the next year (date)
 * The base must select `case_id`, `case_no`, `person_id`, `org_unit_code`; figure SQL refers to the
 * base row as `b`.
 */
export type FigureKind =
  /** number of cases matching `where` */
  | 'cases'
  /** number of distinct people (person_id) among the cases matching `where` */
  | 'people'
  /** sum of `amount` over the cases matching `where` */
  | 'sum'
  /** share (%) of the cases matching `where` (the denominator) that also match `numerator` */
  | 'rate';

export interface FigureDefinition {
  /** Unique within the programme, e.g. 'surgeries'; the API id is `${programme}.${key}`. */
  key: string;
  /** Chinese label as it appears in the annual work summary, and English. */
  label: string;
  labelEn: string;
  unit: '人' | '例' | '元' | '%' | '件' | '次';
  kind: FigureKind;
  /** SQL predicate over the base row `b`: the cases behind the figure (denominator for a rate). */
  where: string;
  /** kind 'sum': SQL numeric expression over `b`. */
  amount?: string;
  /** kind 'rate': SQL predicate over `b` for the numerator (within `where`). */
  numerator?: string;
  /** SQL expression (date or timestamptz) over `b` shown in the drill-down: what placed the case in the year. */
  date?: string;
  /** How the figure is counted (shown in exports). */
  note?: string;
  /** The note in English. */
  noteEn?: string;
}

export interface ProgrammeFigures {
  programme: string;
  label: string;
  labelEn: string;
  base: string;
  figures: FigureDefinition[];
}
