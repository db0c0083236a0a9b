// Doctors by name: the profile a node lists or serves for a doctor (docs/format.md, "Doctor
// profiles"), checked against the chain (chain/doctorProfile.js) before anything shows it.
// One check per doctor and deployment while the app runs: many lines name the same doctors.
import { checkedProfile } from '../chain/doctorProfile.js';

const checked = new Map(); // `${doctor}|${signature}` -> Promise<checked profile | null>

// The checked profile of `doctor`: from `served` (a row's doctorProfile) when the caller has it,
// else from GET /v1/doctors/{doctor}/profile. {name, specialty, institution} | {refused} | null
// (no profile, or no chain to check it against).
export function doctorProfileOf({ api, chain }, doctor, served) {
  if (!chain || !doctor) return Promise.resolve(null);
  const key = served === undefined ? `${doctor}|fetch` : `${doctor}|${served?.signature ?? 'none'}`;
  if (!checked.has(key)) {
    const profile = served !== undefined
      ? Promise.resolve(served)
      : api.get(`/v1/doctors/${doctor}/profile`).catch((error) => (error?.status === 404 ? null : Promise.reject(error)));
    checked.set(key, profile.then((p) => checkedProfile(chain, doctor, p)).catch(() => {
      checked.delete(key);
      return null;
    }));
  }
  return checked.get(key);
}
