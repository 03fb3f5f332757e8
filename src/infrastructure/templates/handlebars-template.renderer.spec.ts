import { HandlebarsTemplateRenderer } from './handlebars-template.renderer';

describe('HandlebarsTemplateRenderer', () => {
  const renderer = new HandlebarsTemplateRenderer();

  it('escapes HTML from data in email HTML, inlines styles and derives a text alternative', () => {
    const out = renderer.render(
      'k',
      { email: { subject: 'Hi {{name}}', html: '<style>p { color: red; }</style><p>Hello {{name}}</p>' } },
      { name: '<script>alert(1)</script>' },
    );
    expect(out.email!.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out.email!.html).not.toContain('<script>');
    expect(out.email!.html).toMatch(/<p style="color: red;">/);
    expect(out.email!.subject).toBe('Hi <script>alert(1)</script>');
    expect(out.email!.text).toContain('Hello <script>alert(1)</script>');
  });

  it('renders SMS, push data and chat blocks as plain text', () => {
    const out = renderer.render(
      'k',
      { sms: { text: 'Order {{id}} & co' }, push: { title: 't', body: '{{id}}', data: { orderId: '{{id}}' } }, chat: { text: 'x', blocks: [{ text: { text: '*{{id}}*' } }] } },
      { id: 'o-1' },
    );
    expect(out.sms!.text).toBe('Order o-1 & co');
    expect(out.push!.data).toEqual({ orderId: 'o-1' });
    expect(out.chat!.blocks).toEqual([{ text: { text: '*o-1*' } }]);
  });

  it('reports syntax errors with their field path', () => {
    const issues = renderer.check({ en: { email: { subject: 'Hi {{name', text: 'ok' } } });
    expect(issues).toEqual([{ field: 'locales.en.email.subject', reason: expect.stringContaining('is not a valid template') }]);
  });
});
