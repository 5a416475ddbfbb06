/**
 * The optional list filters of Get Alert List ("Request Body Parameters"), each with the alert
 * fields it searches. The document names the filter, not the field it compares with, so a
 * filter matches when any of its candidate fields holds one of the values (a list is "any of").
 * The suite reads the document's table on its own (src/cases/forticasb/alerts.ts), so that stub and
 * checks each agree with the document, not with each other.
 */
export type FilterName = 'user' | 'policy' | 'activity' | 'objectIdList' | 'objectName' | 'severity' | 'status' | 'idList' | 'alertType' | 'countryList';

export interface FilterSpec {
  /** The document's description, quoted. */
  readonly sentence: string;
  /** Alert fields the filter searches. */
  readonly fields: readonly string[];
  /** Other request names for it (the sample request's `objectid`, `id_list`). */
  readonly aliases: readonly string[];
  /** `objectName` is a String, not a List<String>. */
  readonly single: boolean;
  /** Searched values an alert carries for this filter. */
  values(alert: Readonly<Record<string, unknown>>): string[];
  /** Whether the alert matches any of `values`. */
  matches(alert: Readonly<Record<string, unknown>>, values: readonly string[]): boolean;
}

const fold = (s: string): string => s.trim().toLowerCase();

/** Country-ish values of a geoLocationList element: a string, or an object's country/countryName/countryCode/name. */
function countries(alert: Readonly<Record<string, unknown>>): string[] {
  const list = alert.geoLocationList;
  if (!Array.isArray(list)) return [];
  return list.flatMap((g) => {
    if (typeof g === 'string') return [g];
    if (g && typeof g === 'object') {
      const o = g as Record<string, unknown>;
      return ['country', 'countryName', 'countryCode', 'name'].map((k) => o[k]).filter((v): v is string => typeof v === 'string' && v !== '');
    }
    return [];
  });
}

function byFields(sentence: string, fields: readonly string[], aliases: readonly string[] = []): FilterSpec {
  const values = (a: Readonly<Record<string, unknown>>): string[] => [
    ...new Set(fields.map((f) => a[f]).filter((v): v is string => typeof v === 'string' && v !== '')),
  ];
  return {
    sentence,
    fields,
    aliases,
    single: false,
    values,
    matches: (a, wanted) => {
      const w = new Set(wanted.map(fold));
      return values(a).some((v) => w.has(fold(v)));
    },
  };
}

export const FILTERS: Readonly<Record<FilterName, FilterSpec>> = {
  user: byFields('user Optional List<String> Filter to search user email', ['userName', 'user', 'userId']),
  policy: byFields("policy Optional List<String> Filter to search alert id (the alert's policy)", ['policyId', 'policyName', 'policyCode']),
  activity: byFields('activity Optional List<String> Filter to search alert by activities', ['violationActivity', 'displayOperation']),
  objectIdList: byFields('objectIdList Optional List<String> Filter to search alert by object identity', ['objectId'], ['objectid']),
  objectName: {
    ...byFields('objectName Optional String Filter to search alert by object name', ['object']),
    single: true,
    // "search ... by object name": an exact name matches, and so does a part of it.
    matches: (a, wanted) => typeof a.object === 'string' && wanted.some((w) => fold(a.object as string).includes(fold(w))),
  },
  severity: byFields('severity Optional List<String> Filter to search alert by severity', ['severity']),
  status: byFields('status Optional List<String> Filter to search by status', ['state', 'status']),
  idList: byFields('idList Optional List<String> Filter to search alert by alert IDs', ['id'], ['id_list']),
  alertType: byFields('alertType Optional List<String> Filter to search alert by alert types', ['alertType']),
  countryList: {
    ...byFields('countryList Optional List<String> Filter to search alert by countries', []),
    values: (a) => [...new Set(countries(a))],
    matches: (a, wanted) => {
      const w = new Set(wanted.map(fold));
      return countries(a).some((c) => w.has(fold(c)));
    },
  },
};

export const FILTER_NAMES = Object.keys(FILTERS) as FilterName[];
