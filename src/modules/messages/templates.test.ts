import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { eachEngine } from '../../testing/engines.ts';
import { testApp } from '../../testing/app.ts';
import { seed } from '../../testing/seeds.ts';
import { ingestDocument } from '../library/ingest.service.ts';
import { frameworkRegister } from '../framework/framework.service.ts';
import { LANGUAGES, loadCatalogue, translator, type Language } from '../../web/i18n.ts';
import type { PageContext } from '../../web/page-context.ts';
import { FRAMEWORK_IDS, INDICATOR_TYPES, TEMPLATES, TEMPLATE_IDS, TLP_LABELS, templateById, type IndicatorType, type TemplateId } from './templates.ts';
import { LIMITS, checkIndicator, instantOfLocalTime, mostRestrictiveTlp, validateTemplateInput, type TemplateContent } from './template-input.ts';
import { problemMessages, type FieldErrors } from '../../web/forms.tsx';
import { TemplateForm, parseIndicatorLines, templateFormValuesToInput, type TemplateFormValues } from './template-form.view.tsx';

const NOW = new Date('2026-03-16T12:00:00Z');

/** A value for every field any template has; each template's example takes its own. */
const ALL_FIELDS: Record<string, unknown> = {
  summary: 'Ransomware at the national grid operator',
  whatHappened: 'Historian servers of the transmission operator were encrypted.\nSubstations run on manual control.',
  occurredAt: { local: '2026-03-15T09:30', timeZone: 'Europe/Paris' },
  sectors: ['water', 'energy'],
  indicators: [
    { type: 'ip', value: '192.0.2.1' },
    { type: 'domain', value: 'Update-Check.Example.ORG' },
    { type: 'hash-sha256', value: 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855' },
  ],
  vulnerability: 'Authentication bypass in the management interface.',
  affectedProducts: 'GridControl 4.2 to 4.7',
  remedies: 'Version 4.8; until then, block port 8443 from outside.',
  request: 'Please take down the command server hosted in your territory and share its logs.',
  answer: 'The server was taken offline at 14:00 UTC; logs follow through the CERT channel.',
  actionsTaken: 'Hosting provider notified; server seized.',
  outcome: 'resolved',
  reference: 'KE-NCERT/2026/0042',
  note: 'Thank you for the swift cooperation.',
  urgency: 'critical',
  tlp: 'AMBER',
  replyLanguage: 'fr',
  contact: 'CERT-FR duty officer, +33 1 71 75 84 68',
};

function example(id: TemplateId): Record<string, unknown> {
  return Object.fromEntries(templateById(id).fields.map(({ field }) => [field.name, structuredClone(ALL_FIELDS[field.name])]));
}

function problemsOf(id: string, input: Record<string, unknown>) {
  const r = validateTemplateInput(id, input, NOW);
  assert.equal(r.ok, false, `${id} should be refused`);
  return r.ok ? [] : r.problems;
}

function accepted(id: TemplateId, input: Record<string, unknown>): TemplateContent {
  const r = validateTemplateInput(id, input, NOW);
  assert.ok(r.ok, `${id} refused: ${JSON.stringify(r.ok ? null : r.problems)}`);
  return r.value;
}

test('every template accepts a complete example, normalised', () => {
  for (const id of TEMPLATE_IDS) {
    const content = accepted(id, example(id));
    assert.equal(content.template, id);
    assert.deepEqual(Object.keys(content.fields), templateById(id).fields.map((f) => f.field.name), `${id}: every field kept, in order`);
  }
  const assistance = accepted('request-assistance', example('request-assistance'));
  // Paris is UTC+1 in March before the change: 09:30 there is 08:30 UTC; the zone is kept.
  assert.deepEqual(assistance.fields.occurredAt, { instant: '2026-03-15T08:30:00.000Z', timeZone: 'Europe/Paris' });
  assert.deepEqual(assistance.fields.sectors, ['energy', 'water'], 'choices in the order of the list');
  assert.deepEqual(assistance.fields.indicators, [
    { type: 'ip', value: '192.0.2.1' },
    { type: 'domain', value: 'update-check.example.org' },
    { type: 'hash-sha256', value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
  ]);
  assert.equal(assistance.fields.whatHappened, ALL_FIELDS.whatHappened, 'free text stays as written');
});

test('each required field left out gives its own field-level problem, and only that one', () => {
  let checked = 0;
  for (const template of TEMPLATES) {
    for (const { field, required } of template.fields) {
      const input = example(template.id);
      delete input[field.name];
      if (!required) {
        accepted(template.id, input);
        continue;
      }
      assert.deepEqual(problemsOf(template.id, input), [{ field: field.name, messageKey: 'messages.problem.required' }], `${template.id} without ${field.name}`);
      // Blank counts as missing: an empty string, an empty list, an empty datetime from the form.
      const blank = field.type === 'multichoice' || field.type === 'indicators' ? [] : field.type === 'datetime' ? { local: '', timeZone: 'UTC' } : '  ';
      assert.deepEqual(problemsOf(template.id, { ...input, [field.name]: blank }), [{ field: field.name, messageKey: 'messages.problem.required' }], `${template.id} with ${field.name} blank`);
      checked++;
    }
  }
  assert.ok(checked >= 30, `${checked} required fields checked`);
});

test('the documented required fields of each template', () => {
  const required = (id: TemplateId) => templateById(id).fields.filter((f) => f.required).map((f) => f.field.name);
  assert.deepEqual(required('request-assistance'), ['summary', 'whatHappened', 'occurredAt', 'sectors', 'request', 'urgency', 'tlp']);
  assert.deepEqual(required('request-mitigation'), ['summary', 'whatHappened', 'occurredAt', 'indicators', 'request', 'urgency', 'tlp']);
  assert.deepEqual(required('closure'), ['outcome', 'tlp']);
  for (const t of TEMPLATES) {
    assert.ok(required(t.id).includes('tlp'), `${t.id}: one TLP label per message`);
    assert.equal(required(t.id).includes('urgency'), t.role === 'opens', `${t.id}: urgency sets the deadlines of a new thread`);
  }
});

test('unknown fields, unknown templates, wrong types and bad choices are refused', () => {
  assert.deepEqual(problemsOf('closure', { ...example('closure'), attachment: 'x.exe' }), [
    { field: 'attachment', messageKey: 'messages.problem.unknownField', values: { field: 'attachment' } },
  ]);
  assert.deepEqual(problemsOf('closure', { ...example('closure'), urgency: 'critical' })[0]?.field, 'urgency', 'a field of another template');
  assert.deepEqual(problemsOf('note-verbale', {}), [{ field: 'template', messageKey: 'messages.problem.unknownTemplate', values: { template: 'note-verbale' } }]);
  const bad = problemsOf('request-assistance', {
    ...example('request-assistance'),
    summary: 'two\nlines',
    sectors: ['energy', 'casinos'],
    urgency: 'whenever',
    tlp: 'WHITE',
    replyLanguage: 'klingon',
    request: 42,
    contact: 'bell\u0007',
  });
  assert.deepEqual(
    bad.map((p) => `${p.field} ${p.messageKey}`),
    [
      'summary messages.problem.oneLine',
      'sectors messages.problem.choice',
      'request messages.problem.type',
      'urgency messages.problem.choice',
      'tlp messages.problem.choice',
      'replyLanguage messages.problem.language',
      'contact messages.problem.controlCharacters',
    ],
  );
});

test('size limits: a longtext, the number of indicators, the whole message', () => {
  const long = 'x'.repeat(LIMITS.longtext + 1);
  assert.deepEqual(problemsOf('response', { ...example('response'), answer: long }), [{ field: 'answer', messageKey: 'messages.problem.tooLong', values: { limit: LIMITS.longtext } }]);
  accepted('response', { ...example('response'), answer: 'x'.repeat(LIMITS.longtext) });
  const many = Array.from({ length: LIMITS.indicators + 1 }, (_, i) => ({ type: 'ip', value: `10.0.${i >> 8}.${i & 255}` }));
  assert.deepEqual(problemsOf('response', { ...example('response'), indicators: many }), [{ field: 'indicators', messageKey: 'messages.problem.tooManyIndicators', values: { limit: LIMITS.indicators } }]);
  accepted('response', { ...example('response'), indicators: many.slice(0, LIMITS.indicators) });
  // Each text within its limit, the whole over 64 KB (é is two bytes in UTF-8).
  const big = 'é'.repeat(LIMITS.longtext);
  assert.deepEqual(problemsOf('request-assistance', { ...example('request-assistance'), whatHappened: big, request: big }), [
    { field: '_form', messageKey: 'messages.problem.tooLarge', values: { limit: 64 } },
  ]);
});

test('times: stated in a zone, kept with it; not more than a day ahead; a skipped hour refused', () => {
  const at = (occurredAt: unknown) => validateTemplateInput('incident-notification', { ...example('incident-notification'), occurredAt }, NOW);
  const ok = at({ instant: '2026-03-15T10:30:00+02:00', timeZone: 'Africa/Nairobi' });
  assert.ok(ok.ok && JSON.stringify(ok.value.fields.occurredAt) === JSON.stringify({ instant: '2026-03-15T08:30:00.000Z', timeZone: 'Africa/Nairobi' }));
  assert.ok(at({ local: '2026-03-16T23:00', timeZone: 'UTC' }).ok, 'eleven hours ahead: clocks disagree, accepted');
  const future = at({ local: '2026-03-18T09:00', timeZone: 'UTC' });
  assert.deepEqual(future.ok ? null : future.problems, [{ field: 'occurredAt', messageKey: 'messages.problem.future' }]);
  const gap = at({ local: '2026-03-29T02:30', timeZone: 'Europe/Paris' });
  assert.deepEqual(gap.ok ? null : gap.problems, [{ field: 'occurredAt', messageKey: 'messages.problem.skippedTime' }]);
  const noZone = at({ local: '2026-03-15T09:30', timeZone: '' });
  assert.deepEqual(noZone.ok ? null : noZone.problems, [{ field: 'occurredAt.timeZone', messageKey: 'messages.problem.timeZoneRequired' }]);
  const badZone = at({ local: '2026-03-15T09:30', timeZone: 'Mars/Olympus_Mons' });
  assert.deepEqual(badZone.ok ? null : badZone.problems, [{ field: 'occurredAt.timeZone', messageKey: 'messages.problem.timeZone' }]);
  for (const v of [{ local: '2026-02-30T09:30', timeZone: 'UTC' }, { instant: '2026-03-15 09:30', timeZone: 'UTC' }, '2026-03-15T09:30Z']) {
    const r = at(v);
    assert.ok(!r.ok && ['messages.problem.dateTime', 'messages.problem.type'].includes(r.problems[0]!.messageKey), JSON.stringify(v));
  }
  // The autumn hour that happens twice: the earlier instant.
  assert.equal(instantOfLocalTime('2026-10-25T02:30', 'Europe/Paris')?.toISOString(), '2026-10-25T00:30:00.000Z');
  assert.equal(instantOfLocalTime('2026-07-01T12:00', 'Asia/Kolkata')?.toISOString(), '2026-07-01T06:30:00.000Z');
});

const GOOD: Record<IndicatorType, string[]> = {
  ip: ['192.0.2.1', '2001:db8::1', '::ffff:198.51.100.7'],
  domain: ['example.org', 'C2.Example.com.', 'xn--80ak6aa92e.com', 'правительство.рф'],
  url: ['https://example.org/payload?id=1', 'http://198.51.100.7:8080/'],
  'hash-sha256': ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  'hash-md5': ['D41D8CD98F00B204E9800998ECF8427E'],
  email: ['phisher@example.net'],
  cve: ['CVE-2024-3400', 'cve-2021-44228', 'CVE-2023-1234567'],
};
const BAD: Record<IndicatorType, string[]> = {
  ip: ['256.1.1.1', '192.0.2', 'fe80::1%eth0', 'example.org', ''],
  domain: ['localhost', 'exa mple.org', '-bad.example.org', 'example.123', 'https://example.org', 'a'.repeat(64) + '.org'],
  url: ['ftp://example.org/file', 'javascript:alert(1)', 'example.org/path', 'https://'],
  'hash-sha256': ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85', 'g'.repeat(64), 'd41d8cd98f00b204e9800998ecf8427e'],
  'hash-md5': ['d41d8cd98f00b204e9800998ecf8427', 'z'.repeat(32)],
  email: ['not-an-address', 'a@b', 'two@@example.org'],
  cve: ['CVE-24-3400', 'CVE-2024-340', '2024-3400', 'CVE-1899-0001'],
};

test('indicators: good and bad values of each type', () => {
  for (const type of INDICATOR_TYPES) {
    for (const v of GOOD[type]) assert.notEqual(checkIndicator(type, v), null, `${type} ${v} should pass`);
    for (const v of BAD[type]) assert.equal(checkIndicator(type, v), null, `${type} ${v} should fail`);
  }
  assert.equal(checkIndicator('cve', 'cve-2021-44228'), 'CVE-2021-44228');
  assert.equal(checkIndicator('domain', 'правительство.рф'), 'xn--80aealotwbjpid2k.xn--p1ai');
  const r = validateTemplateInput('response', { ...example('response'), indicators: [{ type: 'ip', value: '192.0.2.1' }, { type: 'url', value: 'ftp://x.example/' }, { type: 'yara', value: 'rule' }, 'ip 1.2.3.4'] }, NOW);
  assert.deepEqual(r.ok ? null : r.problems, [
    { field: 'indicators', messageKey: 'messages.problem.indicator.url', values: { n: 2 } },
    { field: 'indicators', messageKey: 'messages.problem.indicatorType', values: { n: 3, type: 'yara' } },
    { field: 'indicators', messageKey: 'messages.problem.indicatorShape', values: { n: 4 } },
  ]);
  const dup = accepted('response', { ...example('response'), indicators: [{ type: 'ip', value: '192.0.2.1' }, { type: 'ip', value: ' 192.0.2.1 ' }] });
  assert.deepEqual(dup.fields.indicators, [{ type: 'ip', value: '192.0.2.1' }], 'the same indicator once');
});

test('TLP: the order CLEAR < GREEN < AMBER < AMBER+STRICT < RED, RED allowed on every template', () => {
  assert.equal(mostRestrictiveTlp(['GREEN', 'AMBER', 'CLEAR']), 'AMBER');
  assert.equal(mostRestrictiveTlp(['AMBER', 'AMBER+STRICT']), 'AMBER+STRICT');
  assert.equal(mostRestrictiveTlp(['RED', 'CLEAR']), 'RED');
  assert.equal(mostRestrictiveTlp(['CLEAR']), 'CLEAR');
  assert.equal(mostRestrictiveTlp([]), undefined);
  for (let i = 0; i < TLP_LABELS.length; i++) {
    for (let j = 0; j < TLP_LABELS.length; j++) assert.equal(mostRestrictiveTlp([TLP_LABELS[i]!, TLP_LABELS[j]!]), TLP_LABELS[Math.max(i, j)]);
  }
  for (const id of TEMPLATE_IDS) assert.equal(accepted(id, { ...example(id), tlp: 'RED' }).fields.tlp, 'RED');
});

test('every label, hint, choice and problem key is in the six catalogues', () => {
  const keys = new Set<string>();
  for (const t of TEMPLATES) {
    keys.add(`messages.template.${t.id}`).add(`messages.template.${t.id}.purpose`);
    for (const { field } of t.fields) {
      keys.add(`messages.field.${field.name}`);
      if (field.hint) keys.add(`messages.field.${field.name}.hint`);
      for (const c of field.choices ?? []) keys.add(field.name === 'tlp' ? `messages.tlp.${c}` : `messages.${field.name}.${c}`);
    }
  }
  for (const type of INDICATOR_TYPES) keys.add(`messages.problem.indicator.${type}`);
  // Every key the validator and the form name literally, read from their source.
  for (const file of ['template-input.ts', 'template-form.view.tsx']) {
    for (const [key] of readFileSync(new URL(file, import.meta.url), 'utf8').matchAll(/'(messages\.(?:problem|form)\.[\w.-]+)'/g)) keys.add(key.slice(1, -1));
  }
  assert.ok(keys.has('messages.problem.tooLarge') && keys.has('messages.form.timeZone'));
  for (const lang of LANGUAGES) {
    const catalogue = loadCatalogue(lang);
    for (const key of keys) assert.ok(key in catalogue, `${lang} lacks ${key}`);
  }
});

function ctxFor(lang: Language): PageContext {
  return { t: translator(lang), lang, timeZone: 'UTC', principal: null, csrfToken: 'csrf-token', demo: false, path: '/messages/new', query: {} };
}

function renderForm(lang: Language, template: TemplateId, values: TemplateFormValues = {}, errors?: FieldErrors): string {
  return renderToString(h(TemplateForm, { ctx: ctxFor(lang), template, action: '/messages', values, errors, submitLabel: translator(lang)('messages.template.response') }));
}

/** Every visible control has a <label for> naming it, and every aria-describedby points at an element. */
function assertLabelled(html: string, where: string) {
  const controls = [...html.matchAll(/<(input|select|textarea)\b([^>]*)>/g)].filter(([, , attrs]) => !/type="hidden"/.test(attrs!));
  assert.ok(controls.length > 0, where);
  for (const [tag, , attrs] of controls) {
    const id = /\bid="([^"]+)"/.exec(attrs!)?.[1];
    assert.ok(id, `${where}: a control without id: ${tag}`);
    const label = new RegExp(`<label[^>]*\\bfor="${id.replace(/[.+]/g, '\\$&')}"[^>]*>([\\s\\S]*?)</label>`).exec(html);
    assert.ok(label && label[1]!.replace(/<[^>]+>/g, '').trim() !== '', `${where}: control ${id} has no label`);
  }
  for (const [, ids] of html.matchAll(/aria-describedby="([^"]+)"/g)) {
    for (const id of ids!.split(' ')) assert.ok(html.includes(`id="${id}"`), `${where}: aria-describedby ${id} points nowhere`);
  }
}

test('the form renders every field of every template, each control labelled, in French and in Arabic (right to left)', () => {
  for (const lang of ['fr', 'ar'] as const) {
    const ctx = ctxFor(lang);
    for (const t of TEMPLATES) {
      const html = renderForm(lang, t.id);
      const where = `${lang} ${t.id}`;
      assert.match(html, /<form method="post" action="\/messages"/, where);
      assert.doesNotMatch(html, /<script/, `${where}: works without JavaScript`);
      assert.match(html, /<button type="submit"/);
      assert.match(html, new RegExp(`dir="${lang === 'ar' ? 'rtl' : 'ltr'}"`), where);
      assertLabelled(html, where);
      for (const { field, required } of t.fields) {
        assert.ok(html.includes(`name="${field.name}"`), `${where}: ${field.name} has a control`);
        const label = ctx.t(`messages.field.${field.name}`);
        assert.ok(html.includes(required ? label : ctx.t('messages.form.optional', { label })), `${where}: ${field.name} labelled “${label}”`);
        if (field.hint) assert.ok(html.includes(`id="${field.name}-hint"`), `${where}: ${field.name} hint`);
      }
    }
  }
  const fr = renderForm('fr', 'request-assistance');
  assert.ok(fr.includes('Secteurs touchés') && fr.includes('Restriction de diffusion (TLP)') && fr.includes('TLP:AMBER+STRICT — diffusion limitée aux seules organisations des destinataires'));
  assert.match(fr, /<input id="occurredAt" name="occurredAt" type="datetime-local"/);
  assert.match(fr, /<select id="occurredAt\.timeZone" name="occurredAt\.timeZone"[\s\S]*<option value="Europe\/Paris">/);
  assert.match(fr, /<textarea id="indicators" name="indicators"[^>]*dir="ltr"/);
});

test('a posted form becomes template input; errors come back on their fields, with the values kept', () => {
  const posted: TemplateFormValues = {
    _csrf: 'csrf-token',
    template: 'request-assistance',
    summary: 'Rançongiciel chez le gestionnaire du réseau',
    whatHappened: 'Serveurs chiffrés.',
    occurredAt: '2026-03-15T09:30',
    'occurredAt.timeZone': 'Europe/Paris',
    sectors: ['energy', 'health'],
    indicators: 'ip 192.0.2.1\n\n  SHA256   E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855\ncve CVE-2024-3400\r\n',
    request: 'Analyse des journaux.',
    urgency: 'urgent',
    tlp: 'AMBER+STRICT',
    replyLanguage: 'fr',
    contact: '',
  };
  const content = accepted('request-assistance', templateFormValuesToInput('request-assistance', posted));
  assert.deepEqual(content.fields.occurredAt, { instant: '2026-03-15T08:30:00.000Z', timeZone: 'Europe/Paris' });
  assert.equal((content.fields.indicators as unknown[]).length, 3);
  assert.equal(content.fields.contact, undefined, 'an optional field left empty is left out');
  // One checkbox ticked arrives as a string, not a list.
  assert.deepEqual(accepted('request-assistance', templateFormValuesToInput('request-assistance', { ...posted, sectors: 'water' })).fields.sectors, ['water']);

  const broken = { ...posted, sectors: undefined, indicators: 'ip 999.1.1.1\nnonsense', 'occurredAt.timeZone': '' };
  const r = validateTemplateInput('request-assistance', templateFormValuesToInput('request-assistance', broken), NOW);
  assert.ok(!r.ok);
  const ctx = ctxFor('fr');
  const errors = problemMessages(r.problems, ctx.t);
  assert.deepEqual(Object.keys(errors).sort(), ['indicators', 'occurredAt.timeZone', 'sectors']);
  // Every problem of a field is told, in order: the reader fixes both lines at once.
  assert.equal(errors.indicators, 'Indicateur 1\u00a0: saisissez une adresse IPv4 ou IPv6. Indicateur 2\u00a0: «\u00a0nonsense\u00a0» n’est pas un type d’indicateur.');
  const html = renderForm('fr', 'request-assistance', broken, errors);
  assertLabelled(html, 'fr with errors');
  assert.match(html, /class="error-summary" role="alert"/);
  assert.match(html, /<a href="#occurredAt.timeZone">Choisissez le fuseau horaire/);
  assert.match(html, /<textarea id="indicators"[^>]*aria-invalid="true"[^>]*aria-describedby="indicators-hint indicators-error"[^>]*>ip 999.1.1.1\nnonsense<\/textarea>/);
  assert.match(html, /value="Rançongiciel chez le gestionnaire du réseau"/, 'what was typed is kept');
  assert.match(html, /<option value="AMBER\+STRICT" selected/);
});

test('parseIndicatorLines: one "type value" per line, aliases, blank lines skipped, a bare word kept for the check', () => {
  assert.deepEqual(parseIndicatorLines(' IPv6 2001:db8::1 \n\nmd5 d41d8cd98f00b204e9800998ecf8427e\r\nurl https://example.org/a b\nlonely'), [
    { type: 'ip', value: '2001:db8::1' },
    { type: 'hash-md5', value: 'd41d8cd98f00b204e9800998ecf8427e' },
    { type: 'url', value: 'https://example.org/a b' },
    { type: 'lonely', value: '' },
  ]);
  assert.deepEqual(parseIndicatorLines('   \n'), []);
});

eachEngine('the framework register ids the templates serve', (ctx) => {
  test('each id exists in the register read from the texts', async () => {
    const app = await testApp(ctx());
    try {
      const operator = { id: null, label: 'test' };
      await ingestDocument(app.cadre, operator, { name: 'res.txt', bytes: seed('res7327') });
      await ingestDocument(app.cadre, operator, { name: 'gge.txt', bytes: seed('gge2013') });
      const ids = new Set((await frameworkRegister(app.cadre, 'en')).flatMap((f) => f.entries.map((e) => e.id)));
      for (const id of Object.values(FRAMEWORK_IDS)) assert.ok(ids.has(id), `${id} is not in the register`);
      for (const t of TEMPLATES) for (const id of t.framework) assert.ok(ids.has(id), `${t.id}: ${id}`);
      assert.ok(!ids.has('norm-1.14'), 'the check can fail');
    } finally {
      await app.close();
    }
  });
});
