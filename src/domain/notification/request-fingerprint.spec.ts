import { fingerprint } from './request-fingerprint';

describe('fingerprint', () => {
  // Stored with idempotency keys: a retry after an upgrade must still match, so these values never change.
  it.each([
    [
      { recipient: { userId: 'u-1', email: 'a@b.c' }, channels: ['email'], content: { email: { subject: 'S', text: 'T' } }, category: 'orders', metadata: { orderId: 'o-1' } },
      '471c4dd988579c27c2438ae0c316562b42841114281387fcff15d3b4b950f3c5',
    ],
    [
      { b: 1, a: [1, 'x', null, true, { z: undefined, y: 2 }], é: 'ü', A: -0, 'a\u0000"': 1e21, n: NaN, f: () => 1, d: new Date(0), u: undefined, '10': 1, '9': 2 },
      '3f324314f3e13e1e3257980ca7a2fd078253986cd09711cbf65c06553025957d',
    ],
    [[, 1, undefined, , null], '8e151ae4e90ecd82edc5bfa6292bd2584f0b6f377bca5c346f31ac2b476ea250'],
    ['text', '1e1d0f251d3a76fa2b1bfc81164078572623403887db02988b504b0492e9f076'],
    [0, '5feceb66ffc86f38d952786c6d696c79c2dbc239dd4e91b46729d73a27fb57e9'],
    [null, '74234e98afe7498fb5daf1f36ac2d78acc339464f950703b8c019892f982b90b'],
    [undefined, '74234e98afe7498fb5daf1f36ac2d78acc339464f950703b8c019892f982b90b'],
    [{}, '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'],
    [[], '4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945'],
  ])('keeps the fingerprint of %j', (value, expected) => {
    expect(fingerprint(value)).toBe(expected);
  });

  it('does not depend on key order', () => {
    expect(fingerprint({ a: 1, b: { c: 2, d: [3] } })).toBe(fingerprint({ b: { d: [3], c: 2 }, a: 1 }));
  });
});
