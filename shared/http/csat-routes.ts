import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { principalOf } from '#shared/auth/identity';
import { answerByLink, answerSignedIn, type CsatDeps, surveyPage } from '#shared/csat/csat-service';
import { escapeHtml } from '#shared/domain/html-entities';
import type { TicketDeps } from '#shared/tickets/ticket-service';
import { CsatBodySchema, CsatTokenPathSchema } from './report-schemas.ts';
import { parseBody, parseFormBody, parsePath } from './request.ts';
import { json } from './responses.ts';
import { routeGroup } from './route-group.ts';
import { TicketPathSchema } from './schemas.ts';
import { ticketViewFor } from './views.ts';

/**
 * The satisfaction survey's routes: the signed link's page and its form (no login; GET records
 * nothing, since mail scanners prefetch links), and the signed-in answer. One Lambda function,
 * `functions/api/csat.ts`.
 */

const html = (title: string, body: string): APIGatewayProxyStructuredResultV2 => ({
  statusCode: 200,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    'referrer-policy': 'no-referrer',
  },
  body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;max-width:36em;margin:2em auto">${body}</body></html>`,
});

const LABELS = ['1 – not at all', '2', '3', '4', '5 – very'];

const form = (token: string, number: number, subject: string, current?: { score: number }) =>
  html(
    `How did we do with #${number}?`,
    `<h1>How did we do?</h1><p>Ticket #${number}: ${escapeHtml(subject)}</p>` +
      (current ? `<p>You rated it ${current.score}; a new answer replaces it (for 7 days).</p>` : '') +
      `<form method="post" action="${escapeHtml(encodeURIComponent(token))}"><fieldset><legend>How satisfied are you with how it was handled?</legend>` +
      LABELS.map(
        (label, i) =>
          `<label><input type="radio" name="score" value="${i + 1}" required> ${escapeHtml(label)}</label><br>`,
      ).join('') +
      `</fieldset><p><label>A few words (optional)<br><textarea name="comment" rows="4" cols="50" maxlength="2000"></textarea></label></p>` +
      `<button type="submit">Send</button></form>`,
  );

export const csatRoutes = (deps: CsatDeps & { tickets: TicketDeps }) =>
  routeGroup({
    'get-csat-page': async (event) => {
      const { token } = parsePath(event, CsatTokenPathSchema);
      const page = await surveyPage(deps, token);
      return form(token, page.number, page.subject, page.answer);
    },
    'post-csat-page': async (event) => {
      const { token } = parsePath(event, CsatTokenPathSchema);
      const answer = parseFormBody(event, CsatBodySchema);
      const ticket = await answerByLink(deps, token, answer);
      return html(
        'Thank you',
        `<h1>Thank you</h1><p>Your answer about ticket #${ticket.number} is recorded.</p>`,
      );
    },
    'answer-csat': async (event) => {
      const { number } = parsePath(event, TicketPathSchema);
      const principal = principalOf(event);
      const ticket = await answerSignedIn(deps, principal, number, parseBody(event, CsatBodySchema));
      return json(200, ticketViewFor(principal, ticket));
    },
  });
