import { board } from '../core/usecases/tickets/board';
import { ticketRoutes } from '../infra/routes/tickets';
import { endpoint, etagMatches } from './commons/http';
import { ticketContext } from './commons/tickets';

export const handler = endpoint(ticketRoutes.board, async (req) => {
  const { board: body, etag } = await board(ticketContext(req), req.params.branchId);
  const headers = { etag, 'cache-control': 'no-cache' };
  return etagMatches(req.headers['if-none-match'], etag)
    ? { status: 304, headers }
    : { status: 200, body, headers };
});
