/** The response header that tells a client what time the desk's clock says (ISO 8601). */
export const SERVER_TIME_HEADER = 'tierdesk-now';
