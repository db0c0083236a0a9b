// A doctor as people know them: name · specialty · institution from the registrar's profile,
// shown only once checked against the chain (state/doctorProfiles.js), with the address beside
// it in small text. Without a profile the address alone; with one that fails the check, the
// address and a warning.
import { useEffect, useState } from 'react';
import { Badge } from 'react-bootstrap';
import { useSession } from '../state/session.jsx';
import { doctorProfileOf } from '../state/doctorProfiles.js';
import { Address } from './common.jsx';
import { t } from '../i18n/index.js';

export function DoctorName({ address, profile, label = t('common.doctor.label') }) {
  const { api, ctx } = useSession();
  const [checked, setChecked] = useState(null);
  useEffect(() => {
    let live = true;
    setChecked(null);
    doctorProfileOf({ api, chain: ctx.chain }, address, profile).then((p) => live && setChecked(p));
    return () => { live = false; };
  }, [api, ctx.chain, address, profile]);
  if (checked?.name) {
    const details = [checked.specialty, checked.institution].filter(Boolean).join(' · ');
    return (
      <span className="doctor-name" data-doctor={address}>
        <strong>{checked.name}</strong>{details && <span className="text-secondary"> · {details}</span>}{' '}
        <small><Address value={address} label={label} /></small>
      </span>
    );
  }
  return (
    <span className="doctor-name" data-doctor={address}>
      <Address value={address} label={label} />
      {checked?.refused && <> <Badge bg="warning" text="dark" title={checked.refused}>{t('common.doctor.untrusted')}</Badge></>}
    </span>
  );
}
