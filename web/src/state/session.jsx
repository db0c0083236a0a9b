// The app's session: the node, the wallet, the SIWE session token, the caller's roles, the
// encryption key (derived on demand, held in memory only), the real-time feed and toasts.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { getAddress } from 'ethers';
import { createApi } from '../api/client.js';
import { createNodeSwitch } from '../api/failover.js';
import { openFeed, describeFeedMessage, isOwnAction } from '../api/feed.js';
import { signInWithEthereum } from '../wallet/siwe.js';
import { injectedProvider, injectedWallet, watchInjected } from '../wallet/injected.js';
import { shortAddress } from '../util/format.js';
import { chainReader, rpcOverHttp } from '../chain/reader.js';
import { configuredRpcUrl } from '../wallet/builtin.js';
import { accountEncryptionKey, rotateEncryptionKey } from './encryptionKey.js';
import { TOAST_MS, expires, withToast } from './toasts.js';
import { t } from '../i18n/index.js';

const SESSION_KEY = 'medchain.session';
const SessionContext = createContext(null);

function loadSaved() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
    return saved && saved.expiresAt > Date.now() / 1000 ? saved : null;
  } catch {
    return null;
  }
}

export function SessionProvider({ children }) {
  const [node, setNode] = useState(null);
  const [nodeError, setNodeError] = useState(null);
  const [wallet, setWallet] = useState(null);
  const [session, setSession] = useState(null);
  const [me, setMe] = useState(null);
  const [encryptionKey, setEncryptionKey] = useState(null);
  const [ended, setEnded] = useState(null); // why the last session ended, shown on the sign-in screen
  const [toasts, setToasts] = useState([]);
  const [feedStatus, setFeedStatus] = useState('off');
  const [tick, setTick] = useState(0); // bumped by the feed so lists refetch
  const [activeNode, setActiveNode] = useState(''); // '' is the page's own node; else another's URL
  const tokenRef = useRef(null);
  tokenRef.current = session?.token ?? null;
  const walletRef = useRef(null);
  walletRef.current = wallet;
  const switchRef = useRef(null); // api/failover.js, once the node's /v1/node is known

  // The rules of the stack are state/toasts.js's.
  const toast = useCallback((text, variant = 'info') => {
    const id = Math.random().toString(36).slice(2);
    setToasts((list) => withToast(list, { id, text, variant }));
    if (expires(variant)) setTimeout(() => setToasts((list) => list.filter((item) => item.id !== id)), TOAST_MS);
  }, []);
  const dismissToast = (id) => setToasts((list) => list.filter((item) => item.id !== id));

  const endSession = useCallback((why) => {
    sessionStorage.removeItem(SESSION_KEY);
    switchRef.current?.forget();
    setSession(null);
    setMe(null);
    setEncryptionKey(null);
    setEnded(why);
  }, []);

  const api = useMemo(
    () =>
      createApi({
        getBase: () => switchRef.current?.base() ?? '',
        getToken: () => switchRef.current?.token() ?? tokenRef.current,
        onUnauthenticated: () => endSession(t('state.session.expired')),
        onUnreachable: async (base) => (switchRef.current ? switchRef.current.failover(base) : false),
      }),
    [endSession],
  );

  // The node switch: when the node in use stops answering, the next registered node of the same
  // deployment takes over, signed in with the same wallet (api/failover.js).
  const startSwitch = useCallback(
    (own) => {
      switchRef.current = createNodeSwitch({
        own,
        origin: location.origin,
        fetchInfo: (url) => createApi({ base: url }).get('/v1/node'),
        signInAt: async (url, info) => {
          if (!tokenRef.current || !walletRef.current) return null;
          const answer = await signInWithEthereum(createApi({ base: url }), walletRef.current, { domain: info.siweDomain, chainId: info.chainId });
          return { token: answer.token, expiresAt: answer.expiresAt };
        },
        onSwitch: (from, to) => {
          setActiveNode(to);
          toast(t('state.api.failover', { from, to }), 'warning');
        },
      });
    },
    [toast],
  );

  const loadNode = useCallback(() => {
    setNodeError(null);
    api.get('/v1/node').then((own) => {
      if (!switchRef.current) startSwitch(own);
      setNode(own);
    }, (error) => setNodeError(error.message));
  }, [api, startSwitch]);
  useEffect(loadNode, [loadNode]);

  const refreshMe = useCallback(async () => {
    if (!tokenRef.current) return null;
    const info = await api.get('/v1/me');
    setMe(info);
    return info;
  }, [api]);

  // A saved session survives a reload of the tab only with the same injected account; a
  // built-in wallet must be unlocked again (its key is never stored in the clear).
  useEffect(() => {
    if (!node || wallet) return;
    const saved = loadSaved();
    const provider = injectedProvider();
    if (!saved || saved.kind !== 'injected' || !provider) return;
    provider.request({ method: 'eth_accounts' }).then((accounts) => {
      if (!accounts?.length || getAddress(accounts[0]) !== saved.address) return;
      setWallet(injectedWallet(provider, saved.address, node.chainId));
      tokenRef.current = saved.token;
      setSession(saved);
    });
  }, [node, wallet]);

  useEffect(() => {
    if (session) refreshMe().catch(() => {});
  }, [session, refreshMe]);

  // Account or chain changes in the injected wallet end the session: it was signed by another
  // account or for another chain.
  useEffect(() => {
    if (wallet?.kind !== 'injected') return undefined;
    return watchInjected(injectedProvider(), {
      onAccounts: (accounts) => {
        setWallet(null);
        endSession(accounts?.length ? t('state.session.accountSwitched', { account: shortAddress(accounts[0]) }) : t('state.session.disconnected'));
      },
      onChain: (chainId) => {
        if (Number(chainId) !== node?.chainId) {
          setWallet(null);
          endSession(t('state.session.chainSwitched', { chainId: Number(chainId), nodeChainId: node?.chainId }));
        }
      },
    });
  }, [wallet, node, endSession]);

  const signIn = useCallback(async (w) => {
    // At the node in use, which is another than the page's own after a failover.
    const at = switchRef.current?.info() ?? node;
    const answer = await signInWithEthereum(api, w, { domain: at.siweDomain, chainId: node.chainId });
    const saved = { token: answer.token, address: answer.address, expiresAt: answer.expiresAt, kind: w.kind };
    switchRef.current?.remember(saved);
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(saved));
    tokenRef.current = answer.token;
    setWallet(w);
    setEnded(null);
    setSession(saved);
    return saved;
  }, [api, node]);

  const signOut = useCallback(async () => {
    try {
      await api.post('/v1/auth/logout');
    } catch {
      /* already ended */
    }
    setWallet(null);
    endSession(null);
  }, [api, endSession]);

  // The session's end is a time, not an event: say so when it passes.
  useEffect(() => {
    if (!session) return undefined;
    const ms = session.expiresAt * 1000 - Date.now();
    const timer = setTimeout(() => endSession(t('state.session.expired')), Math.max(ms, 0));
    return () => clearTimeout(timer);
  }, [session, endSession]);

  // The chain, read through the wallet's provider or the configured RPC URL; null when neither
  // exists (then records can be neither written nor opened: nothing could be checked).
  const chain = useMemo(() => {
    if (!wallet || !node) return null;
    const rpc = wallet.rpc ?? (configuredRpcUrl() ? rpcOverHttp(configuredRpcUrl()) : null);
    return rpc ? chainReader(rpc, node) : null;
  }, [wallet, node]);

  // The account's key as the chain holds it (state/encryptionKey.js), derived on first use.
  const unlockEncryptionKey = useCallback(async () => {
    if (encryptionKey) return encryptionKey;
    const pair = await accountEncryptionKey({ api, wallet, node, chain });
    setEncryptionKey(pair);
    return pair;
  }, [api, wallet, node, chain, encryptionKey]);

  // A patient's rotation to the next generation; the new key is the one held from then on.
  const rotateKey = useCallback(async () => {
    const result = await rotateEncryptionKey({ api, wallet, node, chain }, await unlockEncryptionKey());
    setEncryptionKey(result.pair);
    return result;
  }, [api, wallet, node, chain, unlockEncryptionKey]);

  useEffect(() => {
    if (!session?.token) return undefined;
    const base = switchRef.current?.base() ?? '';
    return openFeed({
      token: base ? switchRef.current.token() : session.token,
      base,
      onStatus: setFeedStatus,
      onMessage: (message) => {
        if (!isOwnAction(message, session.address)) {
          toast(describeFeedMessage(message, shortAddress, session.address), message.type === 'audit' ? 'secondary' : 'primary');
        }
        setTick((n) => n + 1);
        if (message.type === 'chain' && /Patient|Doctor|Guardian/.test(message.event)) refreshMe().catch(() => {});
      },
    });
  }, [session, activeNode, toast, refreshMe]);

  const value = {
    node, nodeError, loadNode, wallet, session, me, refreshMe, signIn, signOut, ended, api, activeNode,
    encryptionKey, unlockEncryptionKey, rotateKey, toast, toasts, dismissToast, feedStatus, tick, refresh: () => setTick((n) => n + 1),
    ctx: { api, wallet, node, encryptionKey, chain },
  };
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession() {
  return useContext(SessionContext);
}

// Loads `load()` now and whenever the feed ticks or `deps` change; {data, error, loading, reload}.
export function useLoad(load, deps) {
  const { tick } = useSession();
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const [again, setAgain] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error) => live && setState({ data: null, error: error.message, status: error.status, loading: false }),
    );
    return () => {
      live = false;
    };
    // `load` is a new closure every render; what it reads is in `deps`.
  }, [...deps, tick, again]);
  return { ...state, reload: () => setAgain((n) => n + 1) };
}
