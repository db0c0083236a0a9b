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

export function createApi({ base = '', getToken = () => null, onUnauthenticated = () => {} } = {}) {
  async function send(method, path, { body, headers = {}, raw = false } = {}) {
    const token = getToken();
    const init = { method, headers: { ...headers } };
    if (token) init.headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(base + path, init);
    } catch (error) {
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
  function uploadBlob(bytes, { patient, category, digest, categorySignature }, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${base}/v1/blobs`);
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
