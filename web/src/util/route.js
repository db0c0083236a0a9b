// Hash routing (#/patient, #/doctor/records, ...): no server configuration, and medchaind's SPA
// fallback still serves deep links.
import { useEffect, useState } from 'react';

export function useRoute() {
  const read = () => (location.hash.replace(/^#\/?/, '') || '').split('/');
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export const navigate = (path) => {
  location.hash = `#/${path}`;
};
