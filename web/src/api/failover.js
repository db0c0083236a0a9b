// Going on at another node when the page's own stops answering (docs/ui.md, "When the node is
// down"). The page is served by one node; `GET /v1/node` lists the storage nodes registered on
// chain. When a call cannot reach the node in use, the next registered node that answers for the
// same deployment (chain id and contract) takes over: the page signs in there with the same
// wallet (one SIWE signature; a session is a node's own) and the call is made again. Nothing a
// node says is believed for that: every record read is still checked against the chain.

const sameAddress = (a, b) => typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();

// The URLs of the registered nodes other than `exclude`, in the registry's order, without
// duplicates or trailing slashes.
export function otherNodeUrls(storageNodes, exclude = []) {
  const skip = new Set(exclude.map((url) => url.replace(/\/+$/, '')));
  const urls = [];
  for (const { url } of storageNodes ?? []) {
    const clean = typeof url === 'string' ? url.replace(/\/+$/, '') : '';
    if (!/^https?:\/\//.test(clean) || skip.has(clean) || urls.includes(clean)) continue;
    urls.push(clean);
  }
  return urls;
}

// The node switch of one page. `own` is the page's node as `GET /v1/node` answered, `origin` the
// page's origin (its node's URL). `fetchInfo(url)` asks a node for its `/v1/node`;
// `signInAt(url, info)` signs in there and resolves to {token, expiresAt}, or is null when there
// is no session to carry over (calls then go on without one); `onSwitch(from, to)` tells the user.
export function createNodeSwitch({ own, origin, fetchInfo, signInAt, onSwitch = () => {} }) {
  let base = ''; // '' is the page's own node (relative URLs)
  let info = own;
  const sessions = new Map(); // url -> {token, expiresAt}, for nodes other than the page's own
  let switching = null; // one failover at a time: concurrent failed calls wait for it

  const urlOf = (b) => (b === '' ? origin : b);

  async function tryNode(url) {
    let answer;
    try {
      answer = await fetchInfo(url);
    } catch {
      return false; // down too
    }
    // Another deployment's node cannot stand in: its chain and its records are not these.
    if (answer?.chainId !== own.chainId || !sameAddress(answer?.contract, own.contract)) return false;
    if (signInAt && !sessions.has(url)) {
      const session = await signInAt(url, answer);
      if (session) sessions.set(url, session);
    }
    const from = urlOf(base);
    base = url;
    info = answer;
    onSwitch(from, url);
    return true;
  }

  async function failover(failedBase) {
    if (failedBase !== base) return true; // another call switched already: go again
    const candidates = otherNodeUrls(own.storageNodes, [origin, urlOf(base)]);
    for (const url of candidates) {
      if (await tryNode(url)) return true;
    }
    return false;
  }

  return {
    base: () => base,
    // The node in use's /v1/node answer (its SIWE domain is the one to sign in at).
    info: () => info,
    // The session token for the node in use, when it is not the page's own (whose token the
    // page's session holds); undefined for the page's own node.
    token: () => (base === '' ? undefined : sessions.get(base)?.token ?? null),
    // Called with the base a call could not reach; resolves to whether to call again.
    failover(failedBase) {
      if (!switching) switching = failover(failedBase).finally(() => (switching = null));
      return switching.then((switched) => switched || failedBase !== base);
    },
    // A new session at the node in use (the user signed in again there).
    remember(session) {
      if (base !== '') sessions.set(base, session);
    },
    // The session ended: sessions at other nodes end with it.
    forget() {
      sessions.clear();
    },
  };
}
