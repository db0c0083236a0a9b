// A patient as their doctor knows them: the name and date of birth from the patient's own
// encrypted details record (state/patientDetails.js), when the viewer may read it and has
// unlocked their key; else the address, with a quiet note that the name is not shared.
import { useEffect, useState } from 'react';
import { useSession } from '../state/session.jsx';
import { formatPatient, loadPatientDetails } from '../state/patientDetails.js';
import { Address } from './common.jsx';
import { t } from '../i18n/index.js';

// The patient's details as the caller may read them: undefined while loading, null when none
// can be read (not shared, or the caller's key still locked), else {name, birthDate, …}.
export function usePatientDetails(address) {
  const { ctx, encryptionKey } = useSession();
  const [details, setDetails] = useState(undefined);
  useEffect(() => {
    let live = true;
    setDetails(undefined);
    loadPatientDetails(ctx, address).then(
      (r) => live && setDetails(r.details),
      () => live && setDetails(null),
    );
    return () => { live = false; };
    // ctx is a new object every render; what the load reads is the address and the key.
  }, [address, encryptionKey]);
  return details;
}

export function PatientName({ address }) {
  const { encryptionKey } = useSession();
  const details = usePatientDetails(address);

  return (
    <span className="patient-name" data-patient={address}>
      {details && <strong className="me-1">{formatPatient(details)}</strong>}
      {details ? <small><Address value={address} label={t('common.patient.label')} /></small> : <Address value={address} label={t('common.patient.label')} />}
      {details === null && encryptionKey && <small className="text-secondary ms-1">{t('common.patient.nameNotShared')}</small>}
    </span>
  );
}
