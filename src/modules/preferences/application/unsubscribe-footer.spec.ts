import { withHtmlFooter } from './unsubscribe-footer';

describe('the unsubscribe footer in an HTML body', () => {
  const footer = '\n<p><a href="https://h.example/u">Unsubscribe</a></p>';

  it('goes inside the body of a whole document, before </body>', () => {
    const html = '<!doctype html><html><head><title>x</title></head><body><p>Hello</p></body></html>';
    const out = withHtmlFooter(html, footer);
    expect(out).toBe(`<!doctype html><html><head><title>x</title></head><body><p>Hello</p>${footer}\n</body></html>`);
    expect(out.endsWith('</html>')).toBe(true);
  });

  it('finds the last body end whatever its case, and ignores one named in the text before it', () => {
    const html = '<HTML><BODY><p>write &lt;/body&gt; or </BODY ></HTML>\n';
    const out = withHtmlFooter(html, footer);
    expect(out.indexOf(footer)).toBe(html.indexOf('</BODY >'));
    expect(out.trimEnd().endsWith('</HTML>')).toBe(true);
  });

  it('goes before </html> when the body is not closed, and at the end of a fragment', () => {
    expect(withHtmlFooter('<html><p>Hi</p></html>', footer)).toBe(`<html><p>Hi</p>${footer}\n</html>`);
    expect(withHtmlFooter('<p>Hi</p>', footer)).toBe(`<p>Hi</p>${footer}`);
  });
});
