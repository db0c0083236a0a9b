// The medchaind HTTP client. Every failure becomes an ApiError whose message a person can act
// on: the node's RFC 9457 problem (title and detail), an expired session, or an unreachable node.
import { t } from '../i18n/index.js';

export class ApiError extends Error {
  constructor({ status, code, title, detail }) {
    super(ApiError.describe({ status, code, title, detail }));
    this.status = status;
    this.code = code;
    this.title = title;
    this.detail = detail;
  }

  static describe({ status, code, title, detail }) {
    if (code === 'unreachable') return t('state.api.unreachable', { detail });
    if (status === 401) return t('state.api.sessionEnded', { detail: detail ?? title });
    if (title && detail) return t('state.api.problem', { title, detail });
    return title ?? detail ?? t('state.api.answered', { status });
  }
}

async function problemOf(response) {
  const type = response.headers.get('Content-Type') ?? '';
  if (type.includes('json')) {
    try {
      const body = await response.json();
      return { status: response.status, code: body.code, title: body.title, detail: body.detail };
    } catch {
      /* fall through: a body that is not JSON */
    }
  }
  return { status: response.status, code: `http_${response.status}`, title: t('state.api.answeredText', { status: response.status, statusText: response.statusText }) };
}

// `getBase()` is the node in use ('' for the page's own), `getToken()` its session token.
// `onUnreachable(base, error)` is asked when a call cannot reach that node: it resolves to true
// when another node took over (api/failover.js), and the call is made again there.
const MAX_SWITCHES = 3;

export function createApi({ base = '', getBase = () => base, getToken = () => null, onUnauthenticated = () => {}, onUnreachable = async () => false } = {}) {
  // Whether to call again after `base` could not be reached; a failed switch is the call's error.
  async function switched(calledBase, error, attempt) {
    if (attempt >= MAX_SWITCHES) return false;
    try {
      return await onUnreachable(calledBase, error);
    } catch (failure) {
      throw new ApiError({ status: 0, code: 'unreachable', detail: failure.message });
    }
  }

  async function send(method, path, { body, headers = {}, raw = false } = {}, attempt = 0) {
    const calledBase = getBase();
    const token = getToken();
    const init = { method, headers: { ...headers } };
    if (token) init.headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(calledBase + path, init);
    } catch (error) {
      if (await switched(calledBase, error, attempt)) return send(method, path, { body, headers, raw }, attempt + 1);
      throw new ApiError({ status: 0, code: 'unreachable', detail: error.message });
    }
    if (!response.ok) {
      const problem = await problemOf(response);
      if (response.status === 401 && token) onUnauthenticated(problem);
      throw new ApiError(problem);
    }
    if (raw) return response;
    if (response.status === 204) return null;
    return response.json();
  }

  // A blob upload with progress (fetch cannot report upload progress; XMLHttpRequest can), with
  // the uploader's category statement (docs/format.md) when given.
  async function uploadBlob(bytes, meta, onProgress, attempt = 0) {
    const calledBase = getBase();
    try {
      return await uploadOnce(calledBase, bytes, meta, onProgress);
    } catch (error) {
      if (error.code === 'unreachable' && (await switched(calledBase, error, attempt))) return uploadBlob(bytes, meta, onProgress, attempt + 1);
      throw error;
    }
  }

  function uploadOnce(calledBase, bytes, { patient, category, digest, categorySignature }, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${calledBase}/v1/blobs`);
      const token = getToken();
      if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.setRequestHeader('Medchain-Patient', patient);
      xhr.setRequestHeader('Medchain-Category', category);
      xhr.setRequestHeader('Medchain-Digest', digest);
      if (categorySignature) xhr.setRequestHeader('Medchain-Category-Signature', categorySignature);
      xhr.upload.onprogress = (event) => onProgress?.(event.loaded, event.total || bytes.length);
      xhr.onerror = () => reject(new ApiError({ status: 0, code: 'unreachable', detail: t('state.api.uploadInterrupted') }));
      xhr.onload = () => {
        let body = null;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          /* not JSON */
        }
        if (xhr.status >= 200 && xhr.status < 300) return resolve(body);
        const problem = { status: xhr.status, code: body?.code, title: body?.title ?? t('state.api.answered', { status: xhr.status }), detail: body?.detail };
        if (xhr.status === 401) onUnauthenticated(problem);
        reject(new ApiError(problem));
      };
      xhr.send(bytes);
    });
  }

  // A blob download, read chunk by chunk with progress.
  async function downloadBlob(digest, onProgress) {
    const response = await send('GET', `/v1/blobs/${digest}`, { raw: true });
    const total = Number(response.headers.get('Content-Length')) || 0;
    const reader = response.body.getReader();
    const parts = [];
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      received += value.length;
      onProgress?.(received, total);
    }
    const out = new Uint8Array(received);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  return {
    get: (path) => send('GET', path),
    post: (path, body) => send('POST', path, { body }),
    put: (path, body) => send('PUT', path, { body }),
    patch: (path, body) => send('PATCH', path, { body }),
    uploadBlob,
    downloadBlob,
  };
}
