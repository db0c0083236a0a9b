// The name a new version's summary gives its author (docs/format.md, "Record summaries"), chosen
// as the CLI chooses it (own_author_name in apps/medchain/records/record_actions.cpp): a patient
// writing in their own file is named by their newest Patient record ("My details"); any other
// writer by their registrar-signed doctor profile, as shown everywhere else; else no name. A
// name the summary format refuses (too long, control characters) is left out rather than cut.
import { getAddress } from 'ethers';
import { encodeSummary } from '../crypto/index.js';
import { doctorProfileOf } from './doctorProfiles.js';
import { loadPatientDetails } from './patientDetails.js';

function fits(name) {
  if (!name) return '';
  try {
    encodeSummary({ title: 'x', kind: 'Resource', authorName: name });
    return name;
  } catch {
    return '';
  }
}

// The patient's own name from their details record. Opening it needs the patient's key in
// memory: a patient who has not unlocked it writes without a name rather than being asked for
// a signature in the middle of a write.
async function ownPatientName(ctx, patient) {
  try {
    return (await loadPatientDetails(ctx, patient)).details?.name ?? '';
  } catch {
    return '';
  }
}

async function ownDoctorName(ctx) {
  try {
    return (await doctorProfileOf({ api: ctx.api, chain: ctx.chain }, getAddress(ctx.wallet.address)))?.name ?? '';
  } catch {
    return '';
  }
}

// The writer's (ctx.wallet's) name for a version they write in `patient`'s file, or ''.
export async function ownAuthorName(ctx, patient) {
  const byPatient = getAddress(ctx.wallet.address) === getAddress(patient);
  return fits(byPatient ? await ownPatientName(ctx, patient) : await ownDoctorName(ctx));
}
