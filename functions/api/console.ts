import { consoleRoutes } from '#shared/http/console-routes';
import { attachmentFilesFromEnv } from '#shared/tickets/attachment-deps';
import { ticketDepsFromEnv } from '#shared/tickets/deps';

/** The console's own routes: `GET /me`, presence, attachments (see `fn` in the route table). */
export const handler = consoleRoutes({ ...ticketDepsFromEnv(), files: attachmentFilesFromEnv() });
