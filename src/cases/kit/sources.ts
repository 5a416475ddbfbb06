/**
 * Where a rule comes from: a passage of one of the documents in `../shared/docs/`. Each rule of
 * a scenario cites one with these helpers, with the passage as a string literal;
 * tests/self/sources.test.ts finds every such literal and checks that it is in its document.
 */
import type { Source } from '../../checks/response.ts';

export const DOCUMENTS = {
  fortisoar: 'fortisoar-api-guide.txt',
  forticasb: 'forticasb-get-alert-list.txt',
  fmbs: 'fortimail-browser-security-admin-audit-logs.txt',
  notes: 'field-notes.md',
} as const;

/** A passage of the FortiSOAR API guide. */
export const guide = (quote: string): Source => ({ document: DOCUMENTS.fortisoar, quote });
/** A passage of the FortiCASB "Get Alert List" document. */
export const casbDoc = (quote: string): Source => ({ document: DOCUMENTS.forticasb, quote });
/** A passage of the FortiMail Browser Security "Admin Audit Logs" document. */
export const fmbsDoc = (quote: string): Source => ({ document: DOCUMENTS.fmbs, quote });
/** A passage of the field notes: what real servers do where the documents are silent. */
export const notes = (quote: string): Source => ({ document: DOCUMENTS.notes, quote });

/** The helpers the source self-test looks for, by document. */
export const SOURCE_HELPERS: Readonly<Record<string, string>> = {
  guide: DOCUMENTS.fortisoar,
  casbDoc: DOCUMENTS.forticasb,
  fmbsDoc: DOCUMENTS.fmbs,
  notes: DOCUMENTS.notes,
};
