import MailComposer from 'nodemailer/lib/mail-composer';
import MimeNode from 'nodemailer/lib/mime-node';
import { prefersQuotedPrintable, quotedPrintableForAll } from './text-encoding';

const samples = [
  'Order 42 shipped',
  'Votre commande n° 42 a été expédiée',
  'Grüße aus Köln: Ihre Bestellung ist unterwegs',
  '注文番号42が発送されました',
  'Заказ 42 отправлен',
  '🎉🎉 ok',
  '12345',
  '',
  'tab\tand\u0001control\u001f characters, mostly Latin',
  'x'.repeat(200) + 'é'.repeat(199),
  'x'.repeat(200) + 'é'.repeat(200),
];

/** Composed with a fixed date and multipart boundary (nodemailer's `baseBoundary`, absent from its types), so two runs compare. */
const compile = (extra: Record<string, unknown>, mail: { subject: string; text: string; html?: string; headers?: Record<string, string> }) => {
  const options = { from: 'Herald <no-reply@herald.test>', to: 'ada@example.com', messageId: '<n-1@herald.test>', date: new Date(0), baseBoundary: 'fixed', ...mail, ...extra };
  return new MailComposer(options as ConstructorParameters<typeof MailComposer>[0]).compile().build();
};

describe('text encoding chosen without nodemailer\'s scans', () => {
  it('agrees with nodemailer\'s own choice for every value', () => {
    const node = new MimeNode('text/plain');
    for (const value of samples) {
      expect([value, prefersQuotedPrintable(value) ? 'Q' : 'B']).toEqual([value, (node as unknown as { _getTextEncoding(v: string): string })._getTextEncoding(value)]);
    }
  });

  it('composes the same message, byte for byte, when every value prefers quoted-printable', async () => {
    const footer = `Unsubscribe: https://herald.example.com/v1/preferences/unsubscribe?token=${'a'.repeat(120)}`;
    const messages = [
      { subject: 'Order 42 shipped', text: `It is on its way.\n\n${footer}`, headers: { 'List-Unsubscribe': `<https://herald.example.com/u/${'b'.repeat(90)}>` } },
      { subject: 'Votre commande n° 42 a été expédiée', text: `Elle est en route, déjà.\n\n${footer}`, html: '<p>Elle est en route, <b>déjà</b>.</p>' },
      { subject: 'Grüße', text: 'Ihre Bestellung ist unterwegs. Schöne Grüße aus Köln' },
    ];
    for (const mail of messages) {
      expect(quotedPrintableForAll([mail.subject, mail.text, mail.html, ...Object.values(mail.headers ?? {})])).toBe(true);
      const [chosen, detected] = await Promise.all([compile({ textEncoding: 'quoted-printable' }, mail), compile({}, mail)]);
      expect(chosen.toString()).toBe(detected.toString());
    }
  });

  it('leaves the choice to nodemailer when any value prefers base64 (forcing it there would change the message)', async () => {
    const mail = { subject: '注文番号42が発送されました', text: 'Order 42 shipped' };
    expect(quotedPrintableForAll([mail.subject, mail.text])).toBe(false);
    const [forced, detected] = await Promise.all([compile({ textEncoding: 'quoted-printable' }, mail), compile({}, mail)]);
    expect(forced.toString()).not.toBe(detected.toString());
    expect(quotedPrintableForAll(['Order 42 shipped', undefined, ''])).toBe(true);
  });
});
