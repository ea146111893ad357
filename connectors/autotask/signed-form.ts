/**
 * The serialisation Autotask signs webhook callouts over. Autotask (.NET) escapes, inside JSON
 * strings, `& < > ' " \` +` and every non-ASCII UTF-16 unit as `\uXXXX` (upper-case hex) before
 * computing the HMAC, while the body on the wire may carry the plain characters. n8n-nodes-autotask
 * found this the hard way; the simulator signs the same way so the connector is tested against it.
 */

const ESCAPED: Record<string, string> = {
  '&': '\\u0026',
  '<': '\\u003C',
  '>': '\\u003E',
  "'": '\\u0027',
  '`': '\\u0060',
  '+': '\\u002B',
};

function unicodeEscape(unit: number): string {
  return `\\u${unit.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** `json` (a serialised JSON text) with string contents escaped as Autotask signs them. */
export function toAutotaskSignedForm(json: string): string {
  let out = '';
  let inString = false;
  let escaping = false;
  for (let i = 0; i < json.length; i++) {
    const ch = json[i]!;
    if (!inString) {
      if (ch === '"') inString = true;
      out += ch;
      continue;
    }
    if (escaping) {
      // `\"` becomes `\u0022`; other escapes (`\\`, `\n`, `\uXXXX`) stay as they are.
      out = ch === '"' ? `${out.slice(0, -1)}\\u0022` : out + ch;
      escaping = false;
    } else if (ch === '\\') {
      escaping = true;
      out += ch;
    } else if (ch === '"') {
      inString = false;
      out += ch;
    } else {
      const unit = json.charCodeAt(i);
      out += ESCAPED[ch] ?? (unit > 127 ? unicodeEscape(unit) : ch);
    }
  }
  return out;
}
