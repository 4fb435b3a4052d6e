import { countRequest } from '#core/adapters/dynamo/rate-limit';
import { publicEraseContactRoute } from '#core/contract/routes/tickets/public-erase-contact';
import { eraseContactNow } from '#core/usecases/contacts/erase-contacts';
import { contactContext } from './commons/context';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(
  publicEraseContactRoute,
  async (req) => {
    await eraseContactNow(contactContext(req), req.params);
    return { status: 204 };
  },
  { rateLimit: countRequest },
);
