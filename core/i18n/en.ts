/**
 * The English catalogue: every word a customer or staff screen shows, and the texts of customer
 * messages (SMS, email, web push). Keys are grouped by screen (`kiosk.*`, `status.*`, …);
 * `{name}` marks a value filled in by `translate`. Every other language's catalogue must have
 * exactly these keys (the type checker and tests/unit/i18n.test.ts both refuse a missing one).
 */
export const en = {
  // common: words several screens share
  'common.loading': 'Loading…',
  'common.language': 'Language',

  // status: the customer's ticket page
  'status.title': 'Your ticket',
  'status.contact.erase': 'Erase my contact details',
  'status.contact.confirm':
    'Erase the name, phone number and email you gave for this ticket? You keep your place, but we can no longer notify you.',
  'status.contact.yes': 'Yes, erase them',
  'status.contact.no': 'No, keep them',
  'status.contact.erased': 'Your contact details have been erased.',

  // kiosk: the lobby kiosk
  'kiosk.title': 'Take a ticket',

  // join: the remote-join page
  'join.title': 'Join the queue',

  // board: the display board
  'board.title': 'Now serving',

  // agent: the agent console
  'agent.title': 'Agent console',

  // manage: the manager's screens
  'manage.title': 'Manage',

  // message: texts of SMS, email and web push messages to customers
  'message.near': 'Ticket {code}: your turn is near ({position} ahead of you at most).',
} as const;

export type MessageKey = keyof typeof en;
