import { describe, expect, it } from 'vitest';
import { consoleUrlFromEnv, publicApiUrlFromEnv } from '#shared/kb/config';
import { articleLink } from '#shared/kb/kb-service';

/** Links to articles in mail open the console's article page, never the API's JSON, when a console exists. */

describe('Function: articleLink', () => {
  it("links the console's article page when the stack names the console", () => {
    expect(
      articleLink('kb-reset-password', {
        consoleUrl: 'https://desk.example.com',
        apiUrl: 'https://api.example.com',
      }),
    ).toBe('https://desk.example.com/kb/kb-reset-password');
  });

  it("falls back to the API's public page without a console, and to no link without either", () => {
    expect(articleLink('kb-reset-password', { apiUrl: 'https://api.example.com' })).toBe(
      'https://api.example.com/kb/public/articles/kb-reset-password',
    );
    expect(articleLink('kb-reset-password', {})).toBeUndefined();
  });

  it('reads both addresses from the environment without a trailing slash', () => {
    const env = {
      TIERDESK_CONSOLE_URL: 'https://desk.example.com/',
      TIERDESK_PUBLIC_API_URL: 'https://api.example.com/',
    };
    expect(articleLink('vpn', { consoleUrl: consoleUrlFromEnv(env), apiUrl: publicApiUrlFromEnv(env) })).toBe(
      'https://desk.example.com/kb/vpn',
    );
    expect(consoleUrlFromEnv({})).toBeUndefined();
  });
});
