// The audit trail in words, for the page an auditor reads. The API keeps the codes: they are what a machine filters
// on. Every action the code records has its words here, and a test holds the two lists together.

/** What someone did, as the start of a sentence whose end is the subject: "Viewed the network of" + "person A1234BC". */
export const ACTION_WORDS: Record<string, string> = {
  'sign-in': 'Signed in',
  'sign-in.failed': 'Failed to sign in as',
  'sign-in.refused': 'Was refused single sign-on as',
  'sign-out': 'Signed out',
  'access.denied': 'Was refused',
  'demo.seeded': 'Loaded the demonstration data into',
  'database.backed-up': 'Took a backup of',
  'database.restored': 'Restored a backup into',
  'user.created': 'Created the account of',
  'user.updated': 'Changed the account of',
  'user.deactivated': 'Deactivated the account of',
  'user.reactivated': 'Reactivated the account of',
  'api-token.created': 'Issued an API token to',
  'api-token.revoked': 'Revoked an API token of',
  'establishment.updated': 'Changed the details of',
  'people.imported': 'Imported prisoner records in',
  'nominal.created': 'Added',
  'nominal.viewed': 'Looked at the profile of',
  'nominal.view-denied': 'Was refused a look at',
  'flag.created': 'Added a flag to',
  'flag.amended': 'Changed a flag of',
  'flag.closed': 'Closed a flag of',
  'intelligence.submitted': 'Submitted',
  'intelligence.synthetic-batch': 'Generated demonstration reports as',
  'intelligence.viewed': 'Read',
  'intelligence.view-denied': 'Was refused a look at',
  'intelligence.network-viewed': 'Viewed the network of',
  'intelligence.assessment-started': 'Started assessing',
  'intelligence.graded': 'Graded',
  'intelligence.regraded': 'Changed the grading of',
  'intelligence.sanitised': 'Wrote a sanitised version of',
  'intelligence.linked': 'Linked an entity to',
  'intelligence.entity-accepted': 'Accepted a linked entity of',
  'intelligence.entity-rejected': 'Rejected a linked entity of',
  'intelligence.no-further-action': 'Closed with no further action',
  'intelligence.link-to-existing': 'Closed as adding to another report',
  'intelligence.restricted': 'Restricted (need to know)',
  'intelligence.disseminated': 'Disseminated',
  'intelligence.grading-scheme-set': 'Set the grading scheme of',
  'intelligence.do-not-link-added': 'Added to the do-not-link list',
  'intelligence.do-not-link-removed': 'Removed from the do-not-link list',
  'lss.instruction-created': 'Published',
  'lss.acknowledged': 'Confirmed reading',
  'lss.amendment-proposed': 'Proposed',
  'lss.amendment-revised': 'Changed the text of',
  'lss.amendment-approved': 'Approved',
  'lss.amendment-rejected': 'Rejected',
  'lss.amendment-withdrawn': 'Withdrew',
  'lss.view-denied': 'Was refused a look at',
  'lss.assessment-started': 'Started',
  'lss.assessment-finding-added': 'Added a finding to',
  'lss.assessment-evidence-added': 'Added evidence to',
  'lss.assessment-contributor-added': 'Added a contributor to',
  'lss.assessment-action-added': 'Added an action to',
  'lss.assessment-completed': 'Completed',
  'lss.significant-change': 'Recorded a significant change in risk at',
  'lss.assurance-prepared': 'Prepared',
  'lss.assurance-signed-governor': 'Signed as Governor',
  'lss.assurance-signed-pgd': 'Signed as prison group director',
  'lss.pgd-required-set': 'Set whether amendments need the prison group director at',
  'lss.editor-nominated': 'Nominated as an editor of the strategy',
  'soc.nominated': 'Nominated to the SOC cohort',
  'soc.decision': 'Decided on the nomination of',
  'soc.meeting-recorded': 'Recorded',
  'soc.nominal-viewed': 'Looked at the SOC record of',
  'soc.view-denied': 'Was refused a look at',
  'soc.reviewed': 'Reviewed',
  'soc.trigger': 'Recorded a trigger event for',
  'soc.trigger-seen': 'Marked as seen',
  'soc.plan-action-added': 'Added a plan action for',
  'soc.plan-action-updated': 'Updated a plan action of',
  'soc.community-notified': 'Told community services about the release of',
  'soc.community-plan-agreed': 'Agreed the community plan for',
  'soc.disruption': 'Recorded',
  'soc.disruption-moderated': 'Moderated',
  'soc.dip-sample': 'Took',
  'soc.ocgm-imported': 'Imported',
  'soc.ocgm-member-resolved': 'Matched an OCGM member to',
  'soc.assurance-visit': 'Recorded an assurance visit to',
  'searching.exhibit-created': 'Made',
  'searching.custody-recorded': 'Recorded a movement in the chain of custody of',
  'searching.police-hold-placed': 'Placed a police hold on',
  'searching.police-hold-lifted': 'Lifted the police hold on',
  'searching.exhibit-disposed': 'Disposed of',
  'searching.view-denied': 'Was refused a look at',
  'searching.requirement-added': 'Added',
  'searching.requirement-changed': 'Changed',
  'searching.requirement-retired': 'Retired',
  'searching.search-recorded': 'Recorded',
  'searching.find-recorded': 'Recorded',
  'searching.find-outcome': 'Recorded what followed for a prisoner linked to',
  'searching.interrogation-requested': 'Asked for',
  'searching.interrogation-result': 'Recorded the result of',
  'searching.interrogation-viewed': 'Read what was found in',
  'searching.visit-measure-imposed': 'Imposed',
  'searching.visit-measure-reviewed': 'Reviewed',
  'searching.visit-measure-ended': 'Ended at a review',
  'searching.item-permission-granted': 'Authorised',
  'searching.item-permission-revoked': 'Revoked',
}

/** What a subject is, in words, before its reference: "report IR-2026-000123". */
export const SUBJECT_WORDS: Record<string, string> = {
  user: '',
  establishment: '',
  system: 'Portcullis',
  route: 'the page',
  import: 'a prisoner import',
  nominal: 'person',
  'intelligence-report': 'report',
  'do-not-link': '',
  'lss-instruction': 'local instruction',
  'lss-amendment': 'amendment',
  'lss-assessment': 'risk assessment',
  'lss-assurance': 'an assurance statement',
  'soc-nominal': 'SOC nominal',
  'soc-meeting': 'SOC meeting',
  'soc-disruption': 'a disruption',
  'soc-trigger': 'trigger event',
  'soc-dip-sample': 'an equality dip sample',
  'ocgm-import': 'an OCGM import',
  'searching-exhibit': 'exhibit',
  'searching-requirement': 'a requirement of the search programme',
  'searching-search': 'search',
  'searching-find': 'find',
  'searching-interrogation': 'phone interrogation',
  'searching-visit-measure': 'a measure on a visitor',
  'searching-item-permission': 'a permission for an item',
}

/** Subjects whose identifier is an internal one (a UUID): it is not shown, the words say what the subject was. */
const UNREFERENCED = new Set([
  'import',
  'system',
  'lss-assurance',
  'soc-disruption',
  'soc-dip-sample',
  'ocgm-import',
  'searching-requirement',
  'searching-visit-measure',
  'searching-item-permission',
])

/** The kinds of entry on a do-not-link list, as their identifier starts (the platform names them without the module). */
const DO_NOT_LINK_KINDS: Record<string, string> = {
  phone: 'phone number',
  imei: 'IMEI',
  vehicle: 'vehicle registration',
  'prison-number': 'prison number',
  pnc: 'PNC number',
  email: 'email address',
  cell: 'cell location',
}

/** Detail keys in words; any other key is its camelCase spelt out. */
const DETAIL_WORDS: Record<string, string> = {
  ip: 'IP address',
  textHash: 'Fingerprint of the text',
  lssHash: 'Fingerprint of the strategy',
  as: 'Decided as',
  relatesTo: 'Relates to',
  linkedToRef: 'Added to report',
  entityId: 'Entity',
  runId: 'Import run',
  pgdRequired: 'Prison group director required',
}

export type DescribableEvent = {
  action: string
  actorUsername: string
  subjectType: string | null
  subjectId: string | null
  details: Record<string, unknown>
}

/** The words for an action code; a code without words (one the code no longer records, say) is shown as it is. */
export function actionInWords(action: string): string {
  return ACTION_WORDS[action] ?? action
}

/**
 * The subject in words: its reference or name where it has one, what it was where its identifier is internal.
 * `names` gives the display names of users and establishments.
 */
export function subjectInWords(event: Pick<DescribableEvent, 'subjectType' | 'subjectId'>, names: Names): string {
  const { subjectType: type, subjectId: id } = event
  if (!type) return id ?? ''
  if (type === 'user') return id ? (names.users.get(id) ?? id) : ''
  if (type === 'establishment') return id ? (names.establishments.get(id) ?? id) : ''
  if (type === 'route') return `the page ${id?.replace(/^[A-Z]+ /, '') ?? ''}`
  if (type === 'do-not-link') {
    const [kind, ...value] = (id ?? '').split(':')
    return `${DO_NOT_LINK_KINDS[kind] ?? kind} ${value.join(':')}`
  }
  const words = SUBJECT_WORDS[type] ?? type.replace(/-/g, ' ')
  if (UNREFERENCED.has(type) || !id) return words
  return `${words} ${id}`
}

export type Names = { users: ReadonlyMap<string, string>; establishments: ReadonlyMap<string, string> }

function words(key: string) {
  const spelt = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[-_]/g, ' ')
  return DETAIL_WORDS[key] ?? spelt.charAt(0).toUpperCase() + spelt.slice(1).toLowerCase()
}

function valueInWords(value: unknown): string {
  if (value === null || value === undefined || value === '') return 'None'
  if (value === true) return 'Yes'
  if (value === false) return 'No'
  if (Array.isArray(value)) return value.length ? value.map(valueInWords).join(', ') : 'None'
  if (typeof value === 'object')
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${words(k).toLowerCase()} ${valueInWords(v)}`)
      .join('; ')
  return String(value)
}

/** The details as "key: value" lines in words. */
export function detailsInWords(details: Record<string, unknown>): { key: string; value: string }[] {
  return Object.entries(details).map(([key, value]) => ({ key: words(key), value: valueInWords(value) }))
}
