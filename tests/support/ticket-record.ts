import { type TicketRecord, waitingTicket } from '#core/domain/ticket';

/** The clock of the unit tests' tickets: issued then. */
export const T0 = '2025-06-02T08:00:00.000Z';

/** A ticket as stored, for the pure rules' tests: A-007 waiting in QA of branch B since T0. */
export function waitingRecord(extra: Partial<TicketRecord> = {}): TicketRecord {
  return {
    ...waitingTicket({
      id: 'TICKET1',
      branchId: 'B',
      queueId: 'QA',
      priorityId: 'PGEN',
      prefix: 'A',
      number: 7,
      entry: 7,
      businessDay: '2025-06-02',
      createdAt: T0,
      publicToken: 'x'.repeat(64),
      rank: 3,
      targetWaitMinutes: 10,
      individualPriority: false,
      closeEpoch: 0,
      hour: '10',
    }),
    ...extra,
  };
}
