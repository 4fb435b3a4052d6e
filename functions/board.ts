import { boardRoute } from '#core/contract/routes/tickets/board';
import { board } from '#core/usecases/tickets/board';
import { endpoint } from './commons/auth';
import { ticketContext } from './commons/context';
import { entityTags, etagMatches } from './commons/http';

export const handler = endpoint(boardRoute, async (req) => {
  const ifNoneMatch = req.headers['if-none-match'];
  const { board: body, etag } = await board(ticketContext(req), {
    branchId: req.params.branchId,
    held: entityTags(ifNoneMatch),
  });
  const headers = { etag, 'cache-control': 'no-cache' };
  // A held tag still current comes back without a body; `*` matches whatever the board is.
  return body && !etagMatches(ifNoneMatch, etag) ? { status: 200, body, headers } : { status: 304, headers };
});
