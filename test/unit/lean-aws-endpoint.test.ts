import { afterEach, describe, expect, it, vi } from 'vitest';
import { endpointOf } from '#shared/runtime/lean-aws/json-client';

/** Where the lean AWS clients send a service's requests (`#shared/runtime/lean-aws/json-client`). */

const DYNAMODB = { endpointId: 'DYNAMODB', hostPrefix: 'dynamodb' };

describe('Function: endpointOf', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("takes the client's endpoint, else the service's variable, else AWS_ENDPOINT_URL, else the region's", () => {
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', 'http://127.0.0.1:8000');
    vi.stubEnv('AWS_ENDPOINT_URL', 'http://127.0.0.1:9000');
    expect(endpointOf(DYNAMODB, 'https://db.example.com/base', 'eu-west-1')).toEqual({
      https: true,
      hostname: 'db.example.com',
      path: '/base',
    });
    expect(endpointOf(DYNAMODB, undefined, 'eu-west-1')).toEqual({
      https: false,
      hostname: '127.0.0.1',
      port: 8000,
      path: '/',
    });
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', undefined);
    expect(endpointOf(DYNAMODB, undefined, 'eu-west-1')).toMatchObject({ port: 9000 });
    vi.stubEnv('AWS_ENDPOINT_URL', undefined);
    expect(endpointOf(DYNAMODB, undefined, 'eu-west-1')).toEqual({
      https: true,
      hostname: 'dynamodb.eu-west-1.amazonaws.com',
      path: '/',
    });
  });

  it('reads an empty variable as unset and ignores them all when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true', () => {
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', '');
    vi.stubEnv('AWS_ENDPOINT_URL', 'http://127.0.0.1:9000');
    expect(endpointOf(DYNAMODB, undefined, 'eu-west-1')).toMatchObject({ port: 9000 });
    vi.stubEnv('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', 'true');
    expect(endpointOf(DYNAMODB, undefined, 'eu-west-1')).toMatchObject({
      hostname: 'dynamodb.eu-west-1.amazonaws.com',
    });
  });

  it('addresses the China regions in their own domain', () => {
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', undefined);
    vi.stubEnv('AWS_ENDPOINT_URL', undefined);
    expect(endpointOf(DYNAMODB, undefined, 'cn-north-1').hostname).toBe(
      'dynamodb.cn-north-1.amazonaws.com.cn',
    );
  });
});
