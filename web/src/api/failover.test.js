import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApi } from './client.js';
import { createNodeSwitch, otherNodeUrls } from './failover.js';
import { feedUrl } from './feed.js';

const CONTRACT = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const own = {
  chainId: 31337,
  contract: CONTRACT,
  siweDomain: '127.0.0.1:8080',
  storageNodes: [
    { nodeId: '0x01', url: 'http://127.0.0.1:8080' },
    { nodeId: '0x02', url: 'http://127.0.0.1:8081/' },
    { nodeId: '0x03', url: 'http://127.0.0.1:8082' },
  ],
};
const ORIGIN = 'http://127.0.0.1:8080';

describe('otherNodeUrls', () => {
  it('lists the registered nodes but the excluded, in order, once each, without a trailing slash', () => {
    const nodes = [...own.storageNodes, { url: 'http://127.0.0.1:8081' }, { url: 'ftp://x' }, { url: 42 }];
    expect(otherNodeUrls(nodes, [ORIGIN])).toEqual(['http://127.0.0.1:8081', 'http://127.0.0.1:8082']);
    expect(otherNodeUrls(undefined)).toEqual([]);
  });
});

describe('createNodeSwitch', () => {
  const infoOf = (url) => ({ ...own, siweDomain: url.slice('http://'.length) });

  it('goes on at the next node that answers for the same deployment, signed in there once', async () => {
    const asked = [];
    const signIns = [];
    const switches = [];
    const nodes = createNodeSwitch({
      own,
      origin: ORIGIN,
      fetchInfo: async (url) => {
        asked.push(url);
        if (url.endsWith(':8081')) throw new TypeError('Failed to fetch');
        return infoOf(url);
      },
      signInAt: async (url, info) => {
        signIns.push([url, info.siweDomain]);
        return { token: `token at ${url}`, expiresAt: 1 };
      },
      onSwitch: (from, to) => switches.push([from, to]),
    });
    expect(nodes.base()).toBe('');
    expect(nodes.token()).toBeUndefined(); // the page's own session's

    expect(await nodes.failover('')).toBe(true);
    expect(asked).toEqual(['http://127.0.0.1:8081', 'http://127.0.0.1:8082']);
    expect(nodes.base()).toBe('http://127.0.0.1:8082');
    expect(nodes.info().siweDomain).toBe('127.0.0.1:8082');
    expect(nodes.token()).toBe('token at http://127.0.0.1:8082');
    expect(signIns).toEqual([['http://127.0.0.1:8082', '127.0.0.1:8082']]);
    expect(switches).toEqual([[ORIGIN, 'http://127.0.0.1:8082']]);

    // A call that failed at the old node after the switch just goes again.
    expect(await nodes.failover('')).toBe(true);
    expect(signIns).toHaveLength(1);
  });

  it('never stands in with a node of another chain or contract', async () => {
    const nodes = createNodeSwitch({
      own,
      origin: ORIGIN,
      fetchInfo: async (url) => (url.endsWith(':8081') ? { ...infoOf(url), chainId: 1 } : { ...infoOf(url), contract: '0x' + '11'.repeat(20) }),
      signInAt: async () => {
        throw new Error('must not sign in at another deployment');
      },
    });
    expect(await nodes.failover('')).toBe(false);
    expect(nodes.base()).toBe('');
  });

  it('shares one switch between calls failing at once, and forgets sessions when the session ends', async () => {
    let signIns = 0;
    const nodes = createNodeSwitch({
      own,
      origin: ORIGIN,
      fetchInfo: async (url) => infoOf(url),
      signInAt: async (url) => {
        signIns += 1;
        return { token: `t${signIns}`, expiresAt: 1 };
      },
    });
    const results = await Promise.all([nodes.failover(''), nodes.failover(''), nodes.failover('')]);
    expect(results).toEqual([true, true, true]);
    expect(signIns).toBe(1);
    expect(nodes.base()).toBe('http://127.0.0.1:8081');
    nodes.forget();
    expect(nodes.token()).toBeNull();
    nodes.remember({ token: 'again', expiresAt: 2 });
    expect(nodes.token()).toBe('again');
  });

  it('carries no session when there is none to carry', async () => {
    const nodes = createNodeSwitch({ own, origin: ORIGIN, fetchInfo: async (url) => infoOf(url), signInAt: async () => null });
    expect(await nodes.failover('')).toBe(true);
    expect(nodes.token()).toBeNull();
  });
});

describe('the API client over a node switch', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('makes a call that could not reach its node again at the node that took over, with that node’s token', async () => {
    const calls = [];
    vi.stubGlobal('fetch', async (url, init) => {
      calls.push([url, init.headers.Authorization]);
      if (!url.startsWith('http://127.0.0.1:8081')) throw new TypeError('Failed to fetch');
      return new Response(JSON.stringify({ address: '0xabc' }), { status: 200, headers: { 'Content-Type': 'application/json' } });
    });
    const nodes = createNodeSwitch({
      own,
      origin: ORIGIN,
      fetchInfo: async (url) => ({ ...own, siweDomain: url }),
      signInAt: async () => ({ token: 'second', expiresAt: 1 }),
    });
    const api = createApi({ getBase: nodes.base, getToken: () => nodes.token() ?? 'first', onUnreachable: (base) => nodes.failover(base) });
    expect(await api.get('/v1/me')).toEqual({ address: '0xabc' });
    expect(calls).toEqual([
      ['/v1/me', 'Bearer first'],
      ['http://127.0.0.1:8081/v1/me', 'Bearer second'],
    ]);
  });

  it('says the node is unreachable when no other node takes over', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const api = createApi({ onUnreachable: async () => false });
    await expect(api.get('/v1/me')).rejects.toMatchObject({ code: 'unreachable', status: 0 });
  });
});

describe('feedUrl', () => {
  it('opens the feed at the node in use', () => {
    const here = { protocol: 'http:', host: '127.0.0.1:8080' };
    expect(feedUrl('', 'a b', here)).toBe('ws://127.0.0.1:8080/v1/events?access_token=a%20b');
    expect(feedUrl('http://127.0.0.1:8082', 't', here)).toBe('ws://127.0.0.1:8082/v1/events?access_token=t');
    expect(feedUrl('https://node.example', 't', here)).toBe('wss://node.example/v1/events?access_token=t');
  });
});
