import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arabic, chinese, french } from './poc-entries.fixture.ts';
import { toVCard, toVCards } from './vcard.ts';

interface Property {
  name: string;
  params: string[];
  value: string;
}

/** An independent reader: unfold (RFC 6350 §3.2), split name;params:value, keep values escaped. */
function readCards(text: string): Property[][] {
  assert.ok(text.endsWith('\r\n'));
  assert.doesNotMatch(text.replace(/\r\n/g, ''), /[\r\n]/, 'every line break is CRLF');
  const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n').slice(0, -1);
  const cards: Property[][] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    const [name = '', ...params] = line.slice(0, colon).split(';');
    const property = { name, params, value: line.slice(colon + 1) };
    if (line === 'BEGIN:VCARD') cards.push([]);
    cards.at(-1)?.push(property);
  }
  return cards;
}

function unescapeText(value: string): string {
  return value.replace(/\\([\\,;nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

const valuesOf = (card: Property[], name: string) => card.filter((p) => p.name === name);

test('a vCard 4.0 carries the entry, escaped and typed as RFC 6350 says', () => {
  const [card = []] = readCards(toVCard(french, 'France'));
  assert.equal(card[0]?.value, 'VCARD');
  assert.equal(valuesOf(card, 'VERSION')[0]?.value, '4.0');
  assert.equal(card.at(-1)?.name, 'END');
  assert.equal(unescapeText(valuesOf(card, 'FN')[0]?.value ?? ''), french.name);
  assert.equal(valuesOf(card, 'N').length, 0);
  assert.equal(valuesOf(card, 'TITLE')[0]?.value, 'Conseillère « cyber »\\, sous-direction');
  assert.equal(valuesOf(card, 'ORG')[0]?.value, 'Ministère de l’Europe et des Affaires étrangères;France');
  const note = valuesOf(card, 'NOTE')[0]?.value ?? '';
  assert.equal(note, 'Joindre "en priorité" par courriel\\; sinon\\, téléphone.\\nSecond line\\, with a backslash \\\\ too.');
  assert.equal(unescapeText(note), french.notes);
  assert.deepEqual(
    valuesOf(card, 'EMAIL').map((p) => [p.params.join(';'), p.value]),
    [['PREF=1', french.emails[0]], ['', french.emails[1]]],
  );
  assert.deepEqual(
    valuesOf(card, 'TEL').map((p) => `${p.params.join(';')}:${p.value}`),
    ['VALUE=uri;TYPE=work,voice:tel:+33153595000', 'VALUE=uri;TYPE=work,cell:tel:+33612345678'],
  );
  assert.deepEqual(valuesOf(card, 'LANG').map((p) => `${p.params[0]}:${p.value}`), ['PREF=1:fr', 'PREF=2:en']);
  assert.deepEqual(valuesOf(card, 'TZ')[0], { name: 'TZ', params: ['VALUE=text'], value: 'Europe/Paris' });
  assert.equal(valuesOf(card, 'KEY').length, 0);
  assert.equal(valuesOf(card, 'CATEGORIES')[0]?.value, 'diplomatic,primary');
  assert.equal(valuesOf(card, 'UID')[0]?.value, `urn:uuid:${french.id}`);
  assert.equal(valuesOf(card, 'REV')[0]?.value, '20261125T162421Z');
});

test('the hotline is the preferred number, fax and key are typed', () => {
  const [card = []] = readCards(toVCard(chinese, '中国'));
  assert.deepEqual(
    valuesOf(card, 'TEL').map((p) => `${p.params.join(';')}:${p.value}`),
    ['VALUE=uri;PREF=1;TYPE=work,voice:tel:+861082990999', 'VALUE=uri;TYPE=work,fax:tel:+861082990900'],
  );
  assert.equal(valuesOf(card, 'NOTE').length, 0);
  const [key] = valuesOf(readCards(toVCard(arabic, 'مصر'))[0] ?? [], 'KEY');
  assert.deepEqual(key?.params, ['MEDIATYPE=application/pgp-keys']);
  const prefix = 'data:application/pgp-keys;base64,';
  assert.ok(key?.value.startsWith(prefix));
  assert.equal(Buffer.from(key.value.slice(prefix.length), 'base64').toString('utf8'), arabic.pgpKey);
});

test('long lines fold at 75 octets without splitting a character, and unfold to the same text', () => {
  for (const [entry, stateName] of [[arabic, 'جمهورية مصر العربية'], [chinese, '中华人民共和国']] as const) {
    const text = toVCard(entry, stateName);
    const bytes = Buffer.from(text, 'utf8');
    const physical: Buffer[] = [];
    for (let start = 0; start < bytes.length; ) {
      const end = bytes.indexOf('\r\n', start);
      physical.push(bytes.subarray(start, end));
      start = end + 2;
    }
    assert.ok(physical.some((line) => line[0] === 0x20), 'some line is folded');
    const decoder = new TextDecoder('utf-8', { fatal: true });
    for (const line of physical) {
      assert.ok(line.length <= 75, `${line.length} octets: ${line.toString('utf8')}`);
      decoder.decode(line); // throws on a character cut in two
    }
    const [card = []] = readCards(text);
    assert.equal(unescapeText(valuesOf(card, 'FN')[0]?.value ?? ''), entry.name);
    const org = (valuesOf(card, 'ORG')[0]?.value ?? '').split(/(?<!\\);/).map(unescapeText);
    assert.deepEqual(org, [entry.organisation, stateName]);
    assert.equal(unescapeText(valuesOf(card, 'TITLE')[0]?.value ?? ''), entry.title);
  }
});

test('several entries make one file of several cards', () => {
  const cards = readCards(toVCards([french, arabic, chinese], (state) => `State ${state}`));
  assert.equal(cards.length, 3);
  assert.deepEqual(
    cards.map((card) => valuesOf(card, 'ORG')[0]?.value.split(';')[1]),
    ['State FRA', 'State EGY', 'State CHN'],
  );
});
