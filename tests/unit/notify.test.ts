import { createECDH } from 'node:crypto';
import { marshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ticketToItem } from '#core/adapters/dynamo/items/ticket';
import { notifyChangesOf, type StreamRecord } from '#core/adapters/dynamo/stream';
import { smsNumber } from '#core/domain/contact';
import {
  channelSet,
  dueEvent,
  isPushKey,
  MAX_PUSH_SUBSCRIPTIONS,
  missingContact,
  type NotifyChannel,
  type PushSubscription,
  recipientsOf,
  withSubscription,
} from '#core/domain/notify';
import type { TicketRecord, TicketStatus } from '#core/domain/ticket';
import { T0, waitingRecord } from '#tests/support/ticket-record';

/** The pure rules of near-turn and called messages (core/domain/notify.ts) and their stream decoding. */

const ticket = (extra: Partial<TicketRecord> = {}) => waitingRecord({ ...extra });

const subscription = (n: number): PushSubscription => ({
  endpoint: `https://push.example.org/send/${n}`,
  keys: { p256dh: 'p'.repeat(87), auth: 'a'.repeat(22) },
  createdAt: T0,
});

const STATUSES: TicketStatus[] = ['waiting', 'called', 'serving', 'done', 'no_show', 'cancelled', 'expired'];

describe('smsNumber', () => {
  it.each([
    ['+34 600 11 22 33', '+34600112233'],
    ['+1 (415) 555-0100', '+14155550100'],
    ['+44.20.7946.0958', '+442079460958'],
    ['600 11 22 33', null],
    ['+0 600 112 233', null],
    ['+34', null],
    ['+34 600 11 22 33 ext 2', null],
    ['', null],
    [undefined, null],
  ])('%s → %s', (phone, expected) => expect(smsNumber(phone)).toBe(expected));

  it('keeps the digits of any international number, whatever separators it is written with (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 6, maxLength: 13 }),
        fc.array(fc.constantFrom('', ' ', '-', '.', '(', ')'), { minLength: 14, maxLength: 14 }),
        (first, rest, separators) => {
          const digits = [first, ...rest];
          const written = `+${digits.map((d, i) => `${d}${separators[i]}`).join('')}`;
          expect(smsNumber(written)).toBe(`+${digits.join('')}`);
        },
      ),
    );
  });
});

describe('missingContact', () => {
  it('names the field each channel needs', () => {
    expect(missingContact(['sms'], null)?.path).toBe('body.customer.phone');
    expect(missingContact(['sms'], { phone: '600112233' })?.path).toBe('body.customer.phone');
    expect(missingContact(['email'], { phone: '+34600112233' })?.path).toBe('body.customer.email');
    expect(missingContact(['sms', 'email'], { phone: '+34600112233', email: 'a@example.org' })).toBeNull();
    expect(missingContact([], null)).toBeNull();
  });

  it('channelSet keeps each channel once, in one order', () => {
    expect(channelSet(['email', 'sms', 'email'])).toEqual(['sms', 'email']);
    expect(channelSet([])).toEqual([]);
  });
});

describe('recipientsOf', () => {
  it('the channels asked for whose contact is there, and every subscribed browser', () => {
    const t = ticket({
      customer: { phone: '+34 600 11 22 33', email: 'a@example.org' },
      notify: ['sms', 'email'],
      pushSubscriptions: [subscription(1), subscription(2)],
    });
    expect(recipientsOf(t).map(({ channel, to }) => `${channel} ${to}`)).toEqual([
      'sms +34600112233',
      'email a@example.org',
      'webpush https://push.example.org/send/1',
      'webpush https://push.example.org/send/2',
    ]);
  });

  it('erased contact data reaches nobody, whatever was asked for', () => {
    expect(recipientsOf(ticket({ customer: null, notify: ['sms', 'email'] }))).toEqual([]);
    expect(recipientsOf(ticket({ customer: { email: 'a@example.org' }, notify: ['sms'] }))).toEqual([]);
    expect(recipientsOf(ticket({ customer: { email: 'a@example.org' } }))).toEqual([]);
  });

  it('claims are distinct per recipient and never hold the address (property)', () => {
    fc.assert(
      fc.property(
        fc.subarray(['sms', 'email'] as NotifyChannel[]),
        fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { maxLength: MAX_PUSH_SUBSCRIPTIONS }),
        (notify, browsers) => {
          const recipients = recipientsOf(
            ticket({
              customer: { phone: '+34600112233', email: 'someone@example.org' },
              notify,
              pushSubscriptions: browsers.map(subscription),
            }),
          );
          expect(recipients).toHaveLength(notify.length + browsers.length);
          expect(new Set(recipients.map((r) => r.claim)).size).toBe(recipients.length);
          for (const r of recipients) {
            expect(r.claim).not.toContain(r.to);
            expect(r.claim).not.toContain('example.org');
          }
        },
      ),
    );
  });
});

describe('dueEvent', () => {
  const called = {
    at: T0,
    queueId: 'QA',
    priorityId: 'P',
    counterId: 'C',
    agentId: 'U',
    waitSeconds: 1,
    withinTarget: true,
  };

  it('near at notifyAtPosition and above, while waiting and never called; called when called', () => {
    expect(dueEvent({ status: 'waiting', firstCall: null }, 3, 3)).toBe('near');
    expect(dueEvent({ status: 'waiting', firstCall: null }, 4, 3)).toBeNull();
    expect(dueEvent({ status: 'waiting', firstCall: called }, 1, 3)).toBeNull();
    expect(dueEvent({ status: 'called', firstCall: called }, null, 3)).toBe('called');
    expect(dueEvent({ status: 'done', firstCall: called }, null, 3, true)).toBe('called');
    expect(dueEvent({ status: 'done', firstCall: called }, null, 3)).toBeNull();
  });

  it('over every status, position and setting (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STATUSES),
        fc.option(fc.integer({ min: 1, max: 10_000 })),
        fc.integer({ min: 1, max: 50 }),
        fc.boolean(),
        fc.boolean(),
        (status, position, reach, wasCalled, calledNow) => {
          const event = dueEvent(
            { status, firstCall: wasCalled ? called : null },
            position,
            reach,
            calledNow,
          );
          if (calledNow || status === 'called') expect(event).toBe('called');
          else if (status === 'waiting' && !wasCalled && position !== null && position <= reach)
            expect(event).toBe('near');
          else expect(event).toBeNull();
          // Never near for a ticket further back than the setting, or not waiting.
          if (event === 'near') expect(status === 'waiting' && position! <= reach).toBe(true);
        },
      ),
    );
  });
});

describe('withSubscription', () => {
  it('replaces the same endpoint, appends others, refuses past the most a ticket holds (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 8 }), { maxLength: 30 }), (endpoints) => {
        let current: PushSubscription[] | undefined;
        for (const n of endpoints) {
          const next = withSubscription(current, subscription(n));
          const known = current?.some((s) => s.endpoint === subscription(n).endpoint) ?? false;
          if (next === null) {
            expect(known).toBe(false);
            expect(current).toHaveLength(MAX_PUSH_SUBSCRIPTIONS);
            continue;
          }
          expect(next.length).toBeLessThanOrEqual(MAX_PUSH_SUBSCRIPTIONS);
          expect(new Set(next.map((s) => s.endpoint)).size).toBe(next.length);
          expect(next.at(-1)!.endpoint).toBe(subscription(n).endpoint);
          expect(next.length).toBe((current?.length ?? 0) + (known ? 0 : 1));
          current = next;
        }
      }),
    );
  });
});

describe('isPushKey', () => {
  it('a browser’s P-256 key, and nothing else of its length', () => {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const key = ecdh.getPublicKey();
    expect(isPushKey(key.toString('base64url'))).toBe(true);
    expect(isPushKey(Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 0xff)]).toString('base64url'))).toBe(
      false,
    );
    expect(isPushKey(Buffer.concat([Buffer.from([5]), key.subarray(1)]).toString('base64url'))).toBe(false);
    expect(isPushKey(key.subarray(1).toString('base64url'))).toBe(false);
  });
});

describe('notifyChangesOf', () => {
  const image = (item: Record<string, unknown>) => marshall(item, { removeUndefinedValues: true });
  const record = (before: TicketRecord | null, after: TicketRecord): StreamRecord => {
    const { pk, sk } = ticketToItem('TEN', after);
    return {
      eventName: before ? 'MODIFY' : 'INSERT',
      dynamodb: {
        Keys: image({ pk, sk }),
        ...(before && { OldImage: image(ticketToItem('TEN', before)) }),
        NewImage: image(ticketToItem('TEN', after)),
      },
    };
  };
  const signedUp = { customer: { email: 'a@example.org' }, notify: ['email'] as NotifyChannel[] };

  it('names the tickets holding recipients, those the batch saw called, and the moved lines', () => {
    const waiting = ticket(signedUp);
    const plain = ticket({ id: 'TICKET2' });
    const calledTicket = { ...waiting, status: 'called' as const, place: null, counterId: 'C1' };
    expect(notifyChangesOf([record(null, waiting), record(null, plain)])).toEqual([
      { tenantId: 'TEN', branchId: 'B', ticketIds: ['TICKET1'], calls: [], movedQueues: ['QA'] },
    ]);
    expect(notifyChangesOf([record(waiting, calledTicket)])).toEqual([
      {
        tenantId: 'TEN',
        branchId: 'B',
        ticketIds: ['TICKET1'],
        calls: [{ ticketId: 'TICKET1', counterId: 'C1' }],
        movedQueues: ['QA'],
      },
    ]);
    // A served ticket that ends moves no line and is due nothing.
    const serving = { ...calledTicket, status: 'serving' as const };
    expect(notifyChangesOf([record(serving, { ...serving, status: 'done' })])).toEqual([]);
  });
});
