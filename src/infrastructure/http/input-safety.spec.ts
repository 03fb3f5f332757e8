import { bodyIssue, MAX_BODY_DEPTH, pathIssue, queryIssues, unsafeTextReason } from './input-safety';

const nested = (levels: number): unknown => JSON.parse('['.repeat(levels) + ']'.repeat(levels));

describe('input safety', () => {
  it('finds NUL and unpaired surrogates, and lets paired ones and other text through', () => {
    expect(unsafeTextReason('a\u0000b')).toBe('must not contain NUL characters');
    expect(unsafeTextReason('x\ud800')).toBe('must not contain unpaired UTF-16 surrogates');
    expect(unsafeTextReason('\udc00x')).toBe('must not contain unpaired UTF-16 surrogates');
    expect(unsafeTextReason('😀 déjà vu \u0001 \ufffd')).toBeNull();
  });

  it('names the field of a bad string as validation errors do, keys included', () => {
    expect(bodyIssue({ items: [{}, { recipient: { email: 'a\u0000@example.com' } }] })).toEqual({ field: 'items[1].recipient.email', reason: 'must not contain NUL characters' });
    expect(bodyIssue({ tags: ['ok', '\ud83d'] })).toEqual({ field: 'tags[1]', reason: 'must not contain unpaired UTF-16 surrogates' });
    expect(bodyIssue({ metadata: { 'k\u0000': 1 } })).toEqual({ field: 'metadata.k\ufffd', reason: 'has a key that must not contain NUL characters' });
    expect(bodyIssue('text\u0000')).toEqual({ field: 'body', reason: 'must not contain NUL characters' });
    expect(bodyIssue({ a: [1, null, true, { b: 'fine' }] })).toBeNull();
  });

  it('bounds nesting without recursing past the bound, naming where it starts', () => {
    expect(bodyIssue({ a: nested(MAX_BODY_DEPTH - 1) })).toBeNull();
    expect(bodyIssue({ a: nested(MAX_BODY_DEPTH) })?.reason).toBe(`nests objects and arrays deeper than ${MAX_BODY_DEPTH} levels`);
    expect(bodyIssue({ items: [{ metadata: { x: nested(100_000) } }] })?.field).toBe('items[0].metadata.x…');
    expect(bodyIssue(nested(100_000))?.field).toBe('body');
  });

  it('decodes query strings strictly and refuses a parameter given twice', () => {
    expect(queryIssues('token=a&token=b')).toEqual([{ field: 'token', reason: 'must be given once' }]);
    expect(queryIssues('a=%ff')).toEqual([{ field: 'a', reason: 'is not valid percent-encoded UTF-8' }]);
    expect(queryIssues('a=%ED%A0%80')).toEqual([{ field: 'a', reason: 'is not valid percent-encoded UTF-8' }]);
    expect(queryIssues('a=x%00')).toEqual([{ field: 'a', reason: 'must not contain NUL characters' }]);
    expect(queryIssues('a=%F0%9F%98%80&b=+x&c&&d=')).toEqual([]);
  });

  it('checks every path segment', () => {
    expect(pathIssue('/v1/suppressions/email/a%00b')).toEqual({ field: 'path', reason: 'must not contain NUL characters' });
    expect(pathIssue('/v1/recipients/%E0%A4')).toEqual({ field: 'path', reason: 'is not valid percent-encoded UTF-8' });
    expect(pathIssue('/v1/recipients/%F0%9F%98%80')).toBeNull();
  });
});
