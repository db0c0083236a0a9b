// Doctor profiles (docs/format.md, "Doctor profiles"): who a registered doctor is, as the
// registrar attests it in EIP-712 typed data `DoctorProfile(address doctor,string name,string
// specialty,string institution,uint64 issuedAt)` under the contract's own domain. The node keeps
// and lists them; this app shows one only when its signature recovers to an address the chain
// names a registrar and it is about the doctor shown.
import { getAddress } from 'ethers';
import { statementSigner, statementTypedData } from './categoryStatement.js';
import { t } from '../i18n/index.js';

export const DOCTOR_PROFILE = [
  { name: 'doctor', type: 'address' },
  { name: 'name', type: 'string' },
  { name: 'specialty', type: 'string' },
  { name: 'institution', type: 'string' },
  { name: 'issuedAt', type: 'uint64' },
];

export const MAX_PROFILE_FIELD = 128; // bytes of UTF-8, as the node and the CLI check

const utf8Length = (text) => new TextEncoder().encode(text).length;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

// Why the fields cannot be a profile ('' when they can): the node refuses the same.
export function profileFieldsProblem({ name, specialty, institution }) {
  if (typeof name !== 'string' || !name) return t('state.profile.nameEmpty');
  for (const [field, text] of Object.entries({ name, specialty, institution })) {
    const named = { field: t(`state.profile.field.${field}`) };
    if (typeof text !== 'string') return t('state.profile.notText', named);
    if (utf8Length(text) > MAX_PROFILE_FIELD) return t('state.profile.tooLong', { ...named, max: MAX_PROFILE_FIELD });
    if (CONTROL.test(text)) return t('state.profile.control', named);
  }
  return '';
}

// The typed data for eth_signTypedData_v4. REQUIRES: profileFieldsProblem(profile) is ''.
export function profileTypedData({ chainId, contract }, { doctor, name, specialty, institution, issuedAt }) {
  const problem = profileFieldsProblem({ name, specialty, institution });
  if (problem) throw new Error(problem);
  return statementTypedData({ chainId, contract }, 'DoctorProfile', DOCTOR_PROFILE, {
    doctor: getAddress(doctor),
    name,
    specialty,
    institution,
    issuedAt: Number(issuedAt),
  });
}

// The registrar's wallet signature (0x, 65 bytes) of the profile.
export function signProfile(wallet, deployment, profile) {
  return wallet.signTypedData(profileTypedData(deployment, profile));
}

// The address that signed `signature` over the profile, or null when the signature or the fields
// are malformed. Any well-formed signature recovers to some address: checkedProfile decides.
export function profileSigner(deployment, profile, signature) {
  return statementSigner(() => profileTypedData(deployment, profile), signature);
}

// The profile the node listed for `doctor`, checked: {name, specialty, institution, issuedAt}
// when its signature is over `doctor` and recovers to a registrar of the chain
// (chain.isRegistrar), else {refused: why}; null when the node listed none.
export async function checkedProfile(chain, doctor, served) {
  if (!served) return null;
  const profile = {
    doctor,
    name: served.name,
    specialty: served.specialty ?? '',
    institution: served.institution ?? '',
    issuedAt: served.issuedAt,
  };
  if (!Number.isSafeInteger(profile.issuedAt) || profile.issuedAt < 0) return { refused: t('state.profile.noDate') };
  const deployment = await chain.deployment();
  const signer = profileSigner(deployment, profile, served.signature);
  if (!signer) return { refused: t('state.profile.notSigned') };
  if (!(await chain.isRegistrar(signer))) return { refused: t('state.profile.notRegistrar') };
  return { name: profile.name, specialty: profile.specialty, institution: profile.institution, issuedAt: profile.issuedAt };
}
