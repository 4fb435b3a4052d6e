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

  // kiosk: the lobby kiosk
  'kiosk.title': 'Take a ticket',

  // join: the remote-join page
  'join.title': 'Join the queue',

  // board: the display board
  'board.title': 'Now serving',

  // agent: the agent console
  'agent.title': 'Agent console',
  'agent.transfer.backHint':
    'At the back of the line: when nobody else waits in that queue, a counter that helps other queues once its own are empty — yours too — may call this ticket again straight away.',

  // manage: the manager's screens
  'manage.title': 'Manage',
  'manage.sections': 'Manager sections',
  'manage.tab.today': 'Today',
  'manage.tab.setup': 'Setup',
  'manage.tab.report': 'Reports',
  'manage.noBranch': 'No branch yet: add one in Setup.',
  'manage.today.kpis': 'Today at a glance',
  'manage.today.waitingNow': 'Waiting now',
  'manage.today.longestWait': 'Longest wait',
  'manage.today.servedToday': 'Served today',
  'manage.today.withinTarget': 'Within target',
  'manage.today.percent': '{value} %',
  'manage.today.none': '—',
  'manage.today.seconds': '{s} s',
  'manage.today.minutes': '{m} min',
  'manage.today.hours': '{h} h {m} min',
  'manage.today.overdueTitle': 'Waiting past their target',
  'manage.today.overdueItem': '{code} in {queue}: waiting {wait} (target {target} min)',
  'manage.today.overdueMore': '…and {count} more.',
  'manage.today.noOverdue': 'Nobody is waiting past their target.',
  'manage.today.queues': 'Queues now',
  'manage.today.counters': 'Counters now',
  'manage.today.counter': 'Counter',
  'manage.today.ticket': 'Ticket',
  'manage.today.status': 'Status',
  'manage.today.agent': 'Agent',
  'manage.today.called': 'Called',
  'manage.today.serving': 'Serving',
  'manage.today.free': 'Free',
  'manage.move.title': 'Move waiting customers',
  'manage.move.from': 'From queue',
  'manage.move.to': 'To queue',
  'manage.move.count': 'How many (empty: all)',
  'manage.move.submit': 'Move the first in line',
  'manage.move.choose': 'Choose…',
  'manage.move.option': '{name} ({waiting} waiting)',
  'manage.move.balanceLegend': 'Balance these queues',
  'manage.move.balanceOption': '{name} ({waiting})',
  'manage.move.balance': 'Balance',
  'manage.move.movedOne': 'Moved 1 ticket.',
  'manage.move.movedMany': 'Moved {count} tickets.',
  'manage.move.remaining': '{count} more to move: press again.',
  'manage.close.title': 'End of day',
  'manage.close.explain':
    'Business day {day}. Closing it expires the tickets still waiting or called, completes those being served, and restarts numbering at 001.',
  'manage.close.confirmLabel': 'Confirm closing the day',
  'manage.close.question': 'Close the business day now?',
  'manage.close.yes': 'Yes, close the day',
  'manage.close.no': 'No',
  'manage.close.open': 'Close the day…',
  'manage.close.doneNone': 'Day closed: no tickets were left open. New tickets start at 001.',
  'manage.close.doneOne': 'Day closed: 1 ticket expired. New tickets start at 001.',
  'manage.close.doneMany': 'Day closed: {count} tickets expired. New tickets start at 001.',
  'manage.setup.name': 'Name',
  'manage.setup.description': 'Description',
  'manage.setup.yes': 'yes',
  'manage.setup.no': 'no',
  'manage.setup.minutes': '{count} min',
  'manage.setup.branches': 'Branches',
  'manage.setup.branch': 'Branch',
  'manage.setup.timezone': 'Time zone',
  'manage.setup.timezoneField': 'Time zone (IANA)',
  'manage.setup.timezoneHint': 'e.g. Europe/Madrid',
  'manage.setup.dayStarts': 'Day starts',
  'manage.setup.resetHour': 'Business day starts at (hour)',
  'manage.setup.aging': 'Aging',
  'manage.setup.agingOff': 'off',
  'manage.setup.agingField': 'Aging (minutes per rank, 0 = off)',
  'manage.setup.businessDay': 'Business day',
  'manage.setup.address': 'Address',
  'manage.setup.priorities': 'Priorities',
  'manage.setup.priority': 'Priority',
  'manage.setup.noColour': 'No colour',
  'manage.setup.rank': 'Rank',
  'manage.setup.rankField': 'Rank (1 = most urgent)',
  'manage.setup.targetWait': 'Target wait',
  'manage.setup.targetWaitField': 'Target wait (minutes)',
  'manage.setup.colour': 'Colour',
  'manage.setup.queuesOf': 'Queues of {branch}',
  'manage.setup.queue': 'Queue',
  'manage.setup.prefix': 'Prefix',
  'manage.setup.prefixField': 'Prefix (1–3 capital letters)',
  'manage.setup.status': 'Status',
  'manage.setup.waiting': 'Waiting',
  'manage.setup.open': 'Open',
  'manage.setup.paused': 'Paused (no new tickets)',
  'manage.setup.closed': 'Closed',
  'manage.setup.countersOf': 'Counters of {branch}',
  'manage.setup.counter': 'Counter',
  'manage.setup.ownQueues': 'Own queues',
  'manage.setup.helps': 'Helps other queues',
  'manage.setup.stealing': 'Call from other queues when its own are empty',
  'manage.setup.users': 'Users',
  'manage.setup.user': 'User',
  'manage.setup.username': 'Username',
  'manage.setup.fullName': 'Full name',
  'manage.setup.email': 'Email',
  'manage.setup.role': 'Role',
  'manage.setup.allBranches': 'all',
  'manage.setup.branchesHint': 'None ticked: every branch.',
  'manage.setup.active': 'Active',
  'manage.setup.password': 'Password (10+ characters)',
  'manage.setup.passwordHint': 'When editing: leave empty to keep it.',

  // message: texts of SMS, email and web push messages to customers
  'message.near': 'Ticket {code}: your turn is near ({position} ahead of you at most).',
} as const;

export type MessageKey = keyof typeof en;
