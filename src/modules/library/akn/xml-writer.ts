// A tiny streaming XML writer: every name is checked, every text and attribute value escaped, so
// a document built with it is well-formed whatever the stored text holds (OCR debris included).

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*(:[A-Za-z_][A-Za-z0-9_.-]*)?$/;
// Characters XML 1.0 forbids even escaped: C0 controls other than tab/LF/CR, lone surrogates,
// U+FFFE and U+FFFF. They are dropped.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export type Attributes = Record<string, string | number | null | undefined>;

export function escapeText(s: string): string {
  return s.replace(FORBIDDEN, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttribute(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

function checkName(name: string): string {
  if (!NAME.test(name)) throw new Error(`not an XML name: ${JSON.stringify(name)}`);
  return name;
}

export class XmlWriter {
  private readonly out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  private readonly open_: string[] = [];

  private tag(name: string, attrs: Attributes): string {
    let s = `<${checkName(name)}`;
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined) continue;
      s += ` ${checkName(k)}="${escapeAttribute(String(v))}"`;
    }
    return s;
  }

  /** Opens an element; `close()` ends the innermost one. */
  open(name: string, attrs: Attributes = {}): this {
    this.out.push(`${this.tag(name, attrs)}>`);
    this.open_.push(name);
    return this;
  }

  close(expected?: string): this {
    const name = this.open_.pop();
    if (name === undefined) throw new Error('close() without an open element');
    if (expected !== undefined && expected !== name) throw new Error(`closing <${expected}> but <${name}> is open`);
    this.out.push(`</${name}>`);
    return this;
  }

  empty(name: string, attrs: Attributes = {}): this {
    this.out.push(`${this.tag(name, attrs)}/>`);
    return this;
  }

  text(s: string): this {
    this.out.push(escapeText(s));
    return this;
  }

  /** `<name attrs>text</name>`. */
  element(name: string, attrs: Attributes, text: string): this {
    return this.open(name, attrs).text(text).close();
  }

  /** Runs `body` inside `<name>`, closing it after. */
  within(name: string, attrs: Attributes, body: () => void): this {
    this.open(name, attrs);
    body();
    return this.close(name);
  }

  toString(): string {
    if (this.open_.length > 0) throw new Error(`unclosed elements: ${this.open_.join(' > ')}`);
    return `${this.out.join('')}\n`;
  }
}
