// The agreed templates of POC-to-POC exchanges, as data: which fields each carries, which of them
// must be filled, and the norms and measures of the framework register each serves. Labels live in
// the catalogues (`messages.template.<id>`, `messages.field.<name>`); free text stays as written.

/**
 * Framework register ids (src/modules/framework/register.ts builds them from the texts' numbering);
 * templates.test.ts checks each against the register read from the seeds.
 */
export const FRAMEWORK_IDS = {
  /** A/RES/73/27 1.2: in case of ICT incidents, consider all relevant information. */
  consideringAllInformation: 'norm-1.2',
  /** A/RES/73/27 1.3: not knowingly allow the territory to be used for wrongful acts using ICTs. */
  territoryNotUsed: 'norm-1.3',
  /** A/RES/73/27 1.8: respond to requests for assistance and to mitigate activity from the territory. */
  respondingToRequests: 'norm-1.8',
  /** A/RES/73/27 1.11: responsible reporting of vulnerabilities and sharing information on remedies. */
  vulnerabilityReporting: 'norm-1.11',
  /** A/68/98 para 26 c: sharing of information on ICT incidents, through existing or new channels. */
  incidentInformationSharing: 'cbm-26c',
  /** A/68/98 para 26 e: cooperation on incidents affecting critical infrastructure. */
  criticalInfrastructureCooperation: 'cbm-26e',
} as const;
export type FrameworkId = (typeof FRAMEWORK_IDS)[keyof typeof FRAMEWORK_IDS];

export const FIELD_TYPES = ['text', 'longtext', 'datetime', 'choice', 'multichoice', 'indicators', 'language', 'contact'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/**
 * Critical-infrastructure sectors: the sectors common to the national lists States publish (the EU's
 * NIS 2 annexes, the US's sixteen sectors, the ITU's national CIIP guides), merged where they overlap.
 */
export const SECTORS = [
  'energy',
  'water',
  'health',
  'transport',
  'finance',
  'telecommunications',
  'digital-infrastructure',
  'government',
  'emergency-services',
  'food',
  'chemicals',
  'manufacturing',
  'space',
  'other',
] as const;
export type Sector = (typeof SECTORS)[number];

/** Urgency sets the acknowledgement deadline of the thread (issue 6: critical 2 h, urgent 24 h, routine 72 h). */
export const URGENCIES = ['routine', 'urgent', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** Traffic Light Protocol 2.0 (FIRST), least to most restrictive: the order is the rule. */
export const TLP_LABELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type TlpLabel = (typeof TLP_LABELS)[number];

/** How an exchange ended. */
export const CLOSURE_OUTCOMES = ['resolved', 'partially-resolved', 'unresolved', 'withdrawn'] as const;

export const INDICATOR_TYPES = ['ip', 'domain', 'url', 'hash-sha256', 'hash-md5', 'email', 'cve'] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

export interface FieldDefinition {
  name: string;
  type: FieldType;
  /** choice and multichoice: the allowed values. */
  choices?: readonly string[];
  /** Whether the catalogue has a hint for it (`messages.field.<name>.hint`). */
  hint?: boolean;
  /** datetime: refuse instants later than now plus this margin (an event that has already happened). */
  notLaterThanNowPlusMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Every field any template uses; a template picks from these. */
export const FIELDS = {
  summary: { name: 'summary', type: 'text', hint: true },
  whatHappened: { name: 'whatHappened', type: 'longtext', hint: true },
  // A day of margin: clocks and zones disagree, but an incident is not reported before it happens.
  occurredAt: { name: 'occurredAt', type: 'datetime', hint: true, notLaterThanNowPlusMs: DAY_MS },
  sectors: { name: 'sectors', type: 'multichoice', choices: SECTORS },
  indicators: { name: 'indicators', type: 'indicators', hint: true },
  vulnerability: { name: 'vulnerability', type: 'longtext', hint: true },
  affectedProducts: { name: 'affectedProducts', type: 'longtext', hint: true },
  remedies: { name: 'remedies', type: 'longtext', hint: true },
  request: { name: 'request', type: 'longtext', hint: true },
  answer: { name: 'answer', type: 'longtext' },
  actionsTaken: { name: 'actionsTaken', type: 'longtext' },
  outcome: { name: 'outcome', type: 'choice', choices: CLOSURE_OUTCOMES },
  reference: { name: 'reference', type: 'text', hint: true },
  note: { name: 'note', type: 'longtext' },
  urgency: { name: 'urgency', type: 'choice', choices: URGENCIES, hint: true },
  tlp: { name: 'tlp', type: 'choice', choices: TLP_LABELS, hint: true },
  replyLanguage: { name: 'replyLanguage', type: 'language' },
  contact: { name: 'contact', type: 'contact', hint: true },
} as const satisfies Record<string, FieldDefinition>;
export type FieldName = keyof typeof FIELDS;

export const TEMPLATE_IDS = [
  'request-information',
  'request-assistance',
  'request-mitigation',
  'incident-notification',
  'vulnerability-sharing',
  'acknowledgement',
  'response',
  'closure',
] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

export interface TemplateField {
  field: FieldDefinition;
  required: boolean;
}

export interface TemplateDefinition {
  id: TemplateId;
  /** `opens`: starts a thread (and sets its deadlines); `replies`: only inside an existing thread. */
  role: 'opens' | 'replies';
  /** The norms and measures it serves; a reply serves those of the thread it answers. */
  framework: readonly FrameworkId[];
  /** In the order the form shows them. */
  fields: readonly TemplateField[];
}

const req = (name: FieldName): TemplateField => ({ field: FIELDS[name], required: true });
const opt = (name: FieldName): TemplateField => ({ field: FIELDS[name], required: false });

// Every message carries one TLP label (the server enforces it), so `tlp` is required everywhere.
// Opening templates require `urgency` (it sets the deadlines) and a one-line summary for the inbox.
// The reply language and the follow-up contact are always optional: the directory has defaults.
const F = FRAMEWORK_IDS;
export const TEMPLATES: readonly TemplateDefinition[] = [
  {
    // A question, possibly about no incident at all: only the question is needed.
    id: 'request-information',
    role: 'opens',
    framework: [F.incidentInformationSharing, F.consideringAllInformation],
    fields: [req('summary'), req('request'), opt('whatHappened'), opt('occurredAt'), opt('sectors'), opt('indicators'), req('urgency'), req('tlp'), opt('replyLanguage'), opt('contact')],
  },
  {
    // Norm 1.8: the requested State needs to know what was hit, when, in which sectors, and what help is asked.
    id: 'request-assistance',
    role: 'opens',
    framework: [F.respondingToRequests, F.criticalInfrastructureCooperation],
    fields: [req('summary'), req('whatHappened'), req('occurredAt'), req('sectors'), opt('indicators'), req('request'), req('urgency'), req('tlp'), opt('replyLanguage'), opt('contact')],
  },
  {
    // Norm 1.8, second sentence, and 1.3: the recipient cannot act on activity it cannot find, so indicators are required.
    id: 'request-mitigation',
    role: 'opens',
    framework: [F.respondingToRequests, F.territoryNotUsed],
    fields: [req('summary'), req('whatHappened'), req('occurredAt'), opt('sectors'), req('indicators'), req('request'), req('urgency'), req('tlp'), opt('replyLanguage'), opt('contact')],
  },
  {
    // A/68/98 26 c: information, not a request; no `request` field, nothing asked of the recipient but acknowledgement.
    id: 'incident-notification',
    role: 'opens',
    framework: [F.incidentInformationSharing, F.consideringAllInformation],
    fields: [req('summary'), req('whatHappened'), req('occurredAt'), opt('sectors'), opt('indicators'), req('urgency'), req('tlp'), opt('replyLanguage'), opt('contact')],
  },
  {
    // Norm 1.11: the vulnerability, what it affects, and the remedies available (optional: there may be none yet).
    id: 'vulnerability-sharing',
    role: 'opens',
    framework: [F.vulnerabilityReporting],
    fields: [req('summary'), req('vulnerability'), req('affectedProducts'), opt('remedies'), opt('indicators'), opt('sectors'), req('urgency'), req('tlp'), opt('replyLanguage'), opt('contact')],
  },
  {
    // Receipt only: the recipient's own reference number is what later notifications quote.
    id: 'acknowledgement',
    role: 'replies',
    framework: [],
    fields: [opt('reference'), opt('note'), req('tlp'), opt('contact')],
  },
  {
    id: 'response',
    role: 'replies',
    framework: [],
    fields: [req('answer'), opt('actionsTaken'), opt('indicators'), req('tlp'), opt('contact')],
  },
  {
    id: 'closure',
    role: 'replies',
    framework: [],
    fields: [req('outcome'), opt('note'), req('tlp')],
  },
];

const byId = new Map<string, TemplateDefinition>(TEMPLATES.map((t) => [t.id, t]));

export function isTemplateId(value: unknown): value is TemplateId {
  return typeof value === 'string' && byId.has(value);
}

export function templateById(id: TemplateId): TemplateDefinition {
  return byId.get(id)!;
}
