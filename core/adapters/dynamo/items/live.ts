/**
 * The live channels' connection registry (AWS; docs/live.md, docs/data-model.md): one item per
 * open channel, in the partition the fan-out reads — a branch channel's listeners, or the
 * ticket channels open in a branch — and one pointer per channel under its connection, so a
 * disconnect finds what to remove. Every item expires (TTL) when its channel would end anyway.
 * No key is a branch's or a ticket's: the stream decoding ignores these writes.
 */
const PREFIX = 'LIVE#';

/** The listeners of a branch channel (`branch#<tenant>#<branch>`), one per connection. */
export const channelPartition = (channel: string) => `${PREFIX}${channel}`;
/** The ticket channels open on tickets of a branch, one per ticket channel and connection. */
export const branchTicketsPartition = (tenantId: string, branchId: string) =>
  `${PREFIX}tickets#${tenantId}#${branchId}`;
/** The channels a connection holds: pointers to the items above. */
export const connectionPartition = (connectionId: string) => `${PREFIX}connection#${connectionId}`;
export const LIVE_ITEM_TYPE = 'live';
