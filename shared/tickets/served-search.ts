/**
 * The searches one Query serves (`TicketStore.findTickets`): by requester with any other filter;
 * otherwise by assignee or by tag (not both) with status, tier, priority and dates; or by status,
 * tier, priority and dates alone (every ticket).
 */
export const isServedSearch = (search: { requester?: string; assignee?: string; tag?: string }): boolean =>
  search.requester !== undefined || search.assignee === undefined || search.tag === undefined;
