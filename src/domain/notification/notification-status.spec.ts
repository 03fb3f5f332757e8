import { allowedSourcesOf, assertTransition, canTransition, isTerminal, NOTIFICATION_STATUSES } from './notification-status';
import { InvalidTransitionError } from '../errors/domain-errors';

describe('notification state machine', () => {
  it('starts new notifications as queued, scheduled or suppressed only', () => {
    expect(NOTIFICATION_STATUSES.filter((s) => canTransition(null, s))).toEqual(['scheduled', 'queued', 'suppressed']);
  });

  it('allows the sending path and refuses skipping it', () => {
    expect(canTransition('queued', 'sending')).toBe(true);
    expect(canTransition('sending', 'sent')).toBe(true);
    expect(canTransition('queued', 'sent')).toBe(false);
    expect(canTransition('sent', 'queued')).toBe(false);
    expect(() => assertTransition('sent', 'sending')).toThrow(InvalidTransitionError);
    expect(() => assertTransition('queued', 'sending')).not.toThrow();
  });

  it('never resends an unknown outcome by itself but lets a late answer settle it', () => {
    expect(canTransition('unknown', 'sending')).toBe(false);
    expect(canTransition('unknown', 'sent')).toBe(true);
    expect(canTransition('unknown', 'failed')).toBe(true);
  });

  it('lists the sources of a move for storage guards', () => {
    expect(allowedSourcesOf('sent').sort()).toEqual(['sending', 'unknown']);
    expect(allowedSourcesOf('sending').sort()).toEqual(['queued', 'sending']);
  });

  it('moves delivery statuses forward only', () => {
    expect(canTransition('delivered', 'opened')).toBe(true);
    expect(canTransition('opened', 'delivered')).toBe(false);
    expect(canTransition('clicked', 'opened')).toBe(false);
    expect(isTerminal('suppressed')).toBe(true);
    expect(isTerminal('sent')).toBe(false);
  });

  it('marks unsubscribed after the message arrived, and keeps it over a later open or click', () => {
    expect(allowedSourcesOf('unsubscribed').sort()).toEqual(['clicked', 'delivered', 'opened', 'sent', 'unknown']);
    expect(canTransition('unsubscribed', 'opened')).toBe(false);
    expect(canTransition('unsubscribed', 'clicked')).toBe(false);
    expect(canTransition('unsubscribed', 'delivered')).toBe(false);
    expect(canTransition('unsubscribed', 'complained')).toBe(true);
    expect(canTransition('queued', 'unsubscribed')).toBe(false);
    expect(canTransition('bounced', 'unsubscribed')).toBe(false);
  });
});
