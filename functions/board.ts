import { board } from '../core/usecases/tickets/board';
import * as ticketRoutes from '../infra/routes/tickets';
import { endpoint } from './commons/auth';
import { etagMatches } from './commons/http';
import { ticketContext } from './commons/tickets';

export const handler = endpoint(ticketRoutes.board, async (req) => {
  const { board: body, etag } = await board(ticketContext(req), req.params.branchId, (current) =>
    etagMatches(req.headers['if-none-match'], current),
  );
  const headers = { etag, 'cache-control': 'no-cache' };
  return body ? { status: 200, body, headers } : { status: 304, headers };
});
